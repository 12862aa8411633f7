"""Allegations and their findings: the cited provision, what a charge stands on (the post, the date of the
conduct, the directive version), the elements of a finding and the protected-speech screen."""
