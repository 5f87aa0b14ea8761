"""Pure helpers with no models: environment, identifiers, periods, spreadsheets."""
