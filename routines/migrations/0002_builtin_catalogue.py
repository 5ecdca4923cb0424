"""The built-in catalogue: the source article's four areas, its points, and three built-in routines.

Idempotent (update_or_create by slug) and reversible (removes only built-in rows it made). The text is our own,
written from the article's facts and from shared/clinical-notes.md.
"""

from django.db import migrations

TECHNIQUE_FOOT = (
    "Sit or stand with the ball under your foot. Roll slowly around the area until you find a spot that feels "
    "tender. Rest your weight on it and hold still. Try a little more or a little less pressure until it feels "
    "strong but bearable."
)
TECHNIQUE_GLUTE = (
    "Lie on your back, or stand against a wall, with the ball under the buttock. Roll slowly until you find a "
    "tender spot, then let your weight sink onto it and hold still. Shift your weight to adjust the pressure."
)
PRESSURE = (
    "Use the 0-10 discomfort scale: start light (about 3), build to moderate (about 5) and stay at or under 7. "
    "It should feel strong, never sharp, burning or tingling."
)
CONTRA_FOOT = (
    "Do not press on an open wound, a possible fracture, or skin that is red, hot or swollen. If your feet are "
    "numb (for example from diabetes or neuropathy) keep the pressure light and check your skin afterwards. Take "
    "care if you take blood thinners."
)
CONTRA_GLUTE = (
    "Do not press on an open wound, a possible fracture, or an area that is red, hot or swollen. Take care if you "
    "take blood thinners. If the pain runs down both legs, or you notice numbness or weakness, stop and see the "
    "safety notice."
)
FOOT_NO_EVIDENCE = (
    "The source article itself says there is no scientific evidence that trigger points in the foot refer pain to "
    "the sciatic nerve, and no textbook describes such a pattern: foot points are described as referring pain to "
    "the heel and the sole. Finding trigger points by touch is also unreliable between examiners."
)
HEEL_LIMITED = (
    "No evidence links this spot to sciatic pain. For plantar heel pain, one trial of 60 people found therapist "
    "trigger-point therapy plus stretching did better than stretching alone at one month, and a review found "
    "function improved more often than pain. No study has tested self-release with a ball."
)
GLUTE_MEDIUS = (
    "Expert descriptions (Travell and Simons) say points in gluteus medius refer pain to the low back, sacrum and "
    "buttock. This is clinical description, not trial evidence. Pressing points raises the pressure they tolerate, "
    "but did not change reported pain in a 2022 meta-analysis."
)
GLUTE_MINIMUS = (
    "Expert descriptions (Travell and Simons) call gluteus minimus points 'pseudo-sciatica': pain down the side or "
    "back of the thigh and calf. This is clinical description, not trial evidence. A tender spot here is common in "
    "people whose sciatica comes from a nerve root, so it does not rule out a nerve problem."
)

AREAS = [
    {
        "slug": "heel",
        "name": "Heel",
        "region": "foot",
        "order": 1,
        "description": "Two spots the article groups under the heel: one just behind the ball of the foot and one on "
        "the inside edge of the heel (the same spot is listed under Plantar fascia).",
    },
    {
        "slug": "ball-of-foot",
        "name": "Ball of foot",
        "region": "foot",
        "order": 2,
        "description": "The padded area under the front of the foot, behind the toes.",
    },
    {
        "slug": "plantar-fascia",
        "name": "Plantar fascia",
        "region": "foot",
        "order": 3,
        "description": "The thick band along the sole, from the heel to the toes. The inside edge of the heel is "
        "shared with the Heel area.",
    },
    {
        "slug": "glutes",
        "name": "Glutes",
        "region": "hip",
        "order": 4,
        "description": "The buttock muscles: the upper part and the outer side.",
    },
]

POINTS = [
    {
        "slug": "heel-behind-ball-of-foot",
        "area": "heel",
        "order": 1,
        "name": "Behind the ball of the foot",
        "location": "In the middle of the sole, just behind the padded ball of the foot.",
        "how_to_find": "Put the ball under the front of your foot, then roll it a thumb's width back towards the heel.",
        "view": "soles",
        "x": 27,
        "y": 38,
        "hold": 45,
        "evidence": "none",
        "note": FOOT_NO_EVIDENCE,
        "referral": "Foot points are described as referring pain to the sole and heel, not up the leg.",
    },
    {
        "slug": "heel-inside-edge",
        "area": "heel",
        "also": ["plantar-fascia"],
        "order": 2,
        "name": "Heel, inside edge",
        "location": "On the inner side of the heel, where the plantar fascia attaches.",
        "how_to_find": "Roll the ball under the heel and tilt your foot slightly outwards so the inner edge rests on it.",
        "view": "soles",
        "x": 32,
        "y": 84,
        "hold": 45,
        "evidence": "limited",
        "note": HEEL_LIMITED,
        "referral": "Points near the heel are described as referring pain into the heel itself.",
        "snomed": "76853006",
        "snomed_display": "Heel structure",
    },
    {
        "slug": "ball-of-foot-behind-big-toe",
        "area": "ball-of-foot",
        "order": 3,
        "name": "Behind the big toe",
        "location": "Just behind the base of the big toe, on the inner part of the ball of the foot.",
        "how_to_find": "Place the ball under the big toe, then roll it back until it sits under the joint.",
        "view": "soles",
        "x": 35,
        "y": 22,
        "hold": 45,
        "evidence": "none",
        "note": FOOT_NO_EVIDENCE,
        "referral": "Described as referring pain to the ball of the foot and the big toe.",
    },
    {
        "slug": "ball-of-foot-under",
        "area": "ball-of-foot",
        "order": 4,
        "name": "Under the ball of the foot",
        "location": "Under the middle of the ball of the foot, behind the second and third toes.",
        "how_to_find": "Stand with the ball under the front of the foot and roll side to side across the pad.",
        "view": "soles",
        "x": 26,
        "y": 27,
        "hold": 45,
        "evidence": "none",
        "note": FOOT_NO_EVIDENCE,
        "referral": "Described as referring pain to the front of the sole.",
    },
    {
        "slug": "plantar-fascia-bottom-of-foot",
        "area": "plantar-fascia",
        "order": 5,
        "name": "Bottom of the foot",
        "location": "Along the arch, in the middle of the sole between the heel and the ball of the foot.",
        "how_to_find": "Roll the ball slowly from the heel towards the toes along the arch and stop where it is tender.",
        "view": "soles",
        "x": 29,
        "y": 60,
        "hold": 45,
        "evidence": "limited",
        "note": HEEL_LIMITED,
        "referral": "Described as referring pain to the heel and the sole.",
    },
    {
        "slug": "glute-top",
        "area": "glutes",
        "order": 6,
        "name": "Top of the glute",
        "location": "In the upper part of the buttock, just below the bony rim of the pelvis.",
        "how_to_find": "Lie with the ball under the upper buttock, a hand's width below the top of the hip bone, "
        "and roll a little up and down.",
        "view": "buttocks",
        "x": 30,
        "y": 30,
        "hold": 60,
        "evidence": "expert",
        "note": GLUTE_MEDIUS,
        "referral": "Gluteus medius points: low back, sacrum and buttock.",
        "snomed": "78333006",
        "snomed_display": "Gluteus medius muscle",
    },
    {
        "slug": "glute-side",
        "area": "glutes",
        "order": 7,
        "name": "Side of the glute",
        "location": "On the outer side of the buttock, in front of and above the bony point of the hip.",
        "how_to_find": "Lie partly on your side with the ball under the outer buttock and roll slowly forwards and back.",
        "view": "buttocks",
        "x": 13,
        "y": 50,
        "hold": 60,
        "evidence": "expert",
        "note": GLUTE_MINIMUS,
        "referral": "Gluteus minimus points: down the side or back of the thigh and calf ('pseudo-sciatica').",
        "snomed": "75297007",
        "snomed_display": "Gluteus minimus muscle",
    },
]

FOOT_SLUGS = [p["slug"] for p in POINTS if p["view"] == "soles"]
GLUTE_SLUGS = [p["slug"] for p in POINTS if p["view"] == "buttocks"]
ROUTINES = [
    {
        "slug": "whole-article",
        "name": "Whole routine, both sides",
        "description": "Every point from the article, left then right: the feet first, then the glutes.",
        "points": FOOT_SLUGS + GLUTE_SLUGS,
    },
    {
        "slug": "feet-only",
        "name": "Feet only, both sides",
        "description": "The five foot points, left then right. Good for a short session seated at a desk.",
        "points": FOOT_SLUGS,
    },
    {
        "slug": "glutes-only",
        "name": "Glutes only, both sides",
        "description": "The top and the side of the glute, left then right, lying down or against a wall.",
        "points": GLUTE_SLUGS,
    },
]


def load_catalogue(apps, schema_editor):
    Area = apps.get_model("routines", "Area")
    Point = apps.get_model("routines", "Point")
    Routine = apps.get_model("routines", "Routine")
    RoutineStep = apps.get_model("routines", "RoutineStep")

    areas = {}
    for data in AREAS:
        areas[data["slug"]], _ = Area.objects.update_or_create(
            slug=data["slug"],
            defaults={k: data[k] for k in ("name", "region", "order", "description")},
        )
    points = {}
    for data in POINTS:
        glute = data["view"] == "buttocks"
        point, _ = Point.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "owner": None,
                "area": areas[data["area"]],
                "name": data["name"],
                "location": data["location"],
                "how_to_find": data["how_to_find"],
                "technique": TECHNIQUE_GLUTE if glute else TECHNIQUE_FOOT,
                "tool": "Lacrosse ball or tennis ball",
                "default_hold_seconds": data["hold"],
                "pressure_guidance": PRESSURE,
                "referral_note": data["referral"],
                "evidence_level": data["evidence"],
                "evidence_note": data["note"],
                "contraindications": CONTRA_GLUTE if glute else CONTRA_FOOT,
                "map_view": data["view"],
                "map_x": data["x"],
                "map_y": data["y"],
                "snomed_code": data.get("snomed", ""),
                "snomed_display": data.get("snomed_display", ""),
                "order": data["order"],
            },
        )
        point.also_listed_in.set([areas[s] for s in data.get("also", [])])
        points[data["slug"]] = point

    for data in ROUTINES:
        routine, _ = Routine.objects.update_or_create(
            slug=data["slug"],
            owner=None,
            defaults={"name": data["name"], "description": data["description"], "archived": False},
        )
        RoutineStep.objects.filter(routine=routine).delete()
        position = 0
        for side in ("left", "right"):
            for slug in data["points"]:
                position += 1
                RoutineStep.objects.create(
                    routine=routine,
                    position=position,
                    point=points[slug],
                    side=side,
                    hold_seconds=points[slug].default_hold_seconds,
                )


def unload_catalogue(apps, schema_editor):
    Area = apps.get_model("routines", "Area")
    Point = apps.get_model("routines", "Point")
    Routine = apps.get_model("routines", "Routine")
    Routine.objects.filter(owner=None, slug__in=[r["slug"] for r in ROUTINES]).delete()
    Point.objects.filter(owner=None, slug__in=[p["slug"] for p in POINTS]).delete()
    Area.objects.filter(slug__in=[a["slug"] for a in AREAS], points__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("routines", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
