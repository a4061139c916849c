"""The admin's directory of people: find a user, see their accounts, switch a user off or on."""
