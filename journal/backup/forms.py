"""The backup upload form."""

from django import forms


class ImportForm(forms.Form):
    """The upload only: the file's size and content are checked by the import (`importer.import_account`)."""

    file = forms.FileField(
        label="Tenderspot JSON export",
        help_text="A .json file made by “Export JSON”, as downloaded or compressed with gzip (.json.gz).",
    )
