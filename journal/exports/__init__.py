"""Files of a user's journal: CSV, FHIR and the PDF report (the JSON backup is journal/backup)."""
