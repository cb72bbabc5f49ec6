"""Registration: the seed's form (section ๕) as a SessionWizardView."""
