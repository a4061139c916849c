"""The admins' audit trail."""
