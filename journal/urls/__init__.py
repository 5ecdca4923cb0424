"""All `journal:` URLs. Each feature keeps its own list in a module beside this one."""

from journal.backup import urls as backup
from journal.urls import history, runner, sharing

app_name = "journal"

urlpatterns = [*runner.urlpatterns, *history.urlpatterns, *sharing.urlpatterns, *backup.urlpatterns]
