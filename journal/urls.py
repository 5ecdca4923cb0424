"""All `journal:` URLs. Each feature keeps its own list in its folder."""

from journal.backup import urls as backup
from journal.exports import urls as exports
from journal.history import urls as history
from journal.reminders import urls as reminders
from journal.runner import urls as runner
from journal.sharing import urls as sharing
from journal.trends import urls as trends

app_name = "journal"

urlpatterns = [
    *runner.urlpatterns,
    *history.urlpatterns,
    *trends.urlpatterns,
    *exports.urlpatterns,
    *sharing.urlpatterns,
    *reminders.urlpatterns,
    *backup.urlpatterns,
]
