"""Profile, "my data" (PDPA), password change and reset, account closure."""
