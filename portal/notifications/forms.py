from django import forms


class NotificationReadForm(forms.Form):
    """Which notification to mark as read; none means all of the reader's."""

    id = forms.IntegerField(required=False, min_value=1)
