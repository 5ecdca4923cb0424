"""Names that read well after a side, as the body map and the runner say them: "Left glute, top" rather than
"Left top of the glute". Idempotent (sets names by slug) and reversible; a name changed in the admin is left alone.
"""

from django.db import migrations

RENAMES = {
    # slug: (name before, name after)
    "heel-behind-ball-of-foot": ("Behind the ball of the foot", "Sole, behind the ball of the foot"),
    "ball-of-foot-behind-big-toe": ("Behind the big toe", "Ball of the foot, behind the big toe"),
    "ball-of-foot-under": ("Under the ball of the foot", "Ball of the foot, middle"),
    "plantar-fascia-bottom-of-foot": ("Bottom of the foot", "Sole, along the arch"),
    "glute-top": ("Top of the glute", "Glute, top"),
    "glute-side": ("Side of the glute", "Glute, outer side"),
}


def _rename(apps, forwards: bool) -> None:
    Point = apps.get_model("routines", "Point")
    for slug, (before, after) in RENAMES.items():
        old, new = (before, after) if forwards else (after, before)
        Point.objects.filter(slug=slug, owner=None, name__in=[old, new]).update(name=new)


def rename_forwards(apps, schema_editor):
    _rename(apps, forwards=True)


def rename_backwards(apps, schema_editor):
    _rename(apps, forwards=False)


class Migration(migrations.Migration):
    dependencies = [("routines", "0002_builtin_catalogue")]

    operations = [migrations.RunPython(rename_forwards, rename_backwards)]
