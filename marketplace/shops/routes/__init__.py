"""The shop's blueprints: wizard.py (the onboarding wizard) and settings.py (her shop settings)."""
