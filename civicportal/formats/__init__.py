"""Number and date formats for the portal's languages where Django's own do not fit its readers."""
