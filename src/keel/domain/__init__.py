"""Pure domain: money, instruments, orders, fills, positions, ledger rules and enums."""
