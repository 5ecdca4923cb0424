"""The built-in points' safety and evidence wording, corrected (issue 11): one pressure message, concrete cautions,
one position and one landmark per point, evidence graded for sciatica and for the local problem, and sources.

Idempotent (sets fields by slug on built-in points only) and reversible (backwards restores 0002's text). Custom
points that still carry the old default pressure or caution text get the new one; text a user wrote is left alone.
The wording is our own, written from shared/clinical-notes.md.
"""

from importlib import import_module

from django.db import migrations

PRESSURE = (
    "Start light, about 3 on the 0-10 discomfort scale. Moderate pressure, about 5, is usually enough. 7 is a "
    "ceiling, not a target: never go above it. Move off the spot at once if pressing sends tingling, burning or "
    "electric pain down your leg."
)
PRESSURE_GLUTE = (
    PRESSURE + " The sciatic nerve runs through the buttock, midway between the sitting bone and the bony point of "
    "the hip, so a spot that sets off nerve pain is a spot to leave."
)
TECHNIQUE_FOOT = (
    "Sit on a chair with the ball on the floor under your foot, or stand holding on to something steady such as a "
    "counter: standing on one ball is a fall risk. Roll slowly over the area until you find a tender spot, then "
    "rest some weight on it and hold still."
)

BLOOD_THINNERS = (
    "If you take blood thinners or have a bleeding disorder: light pressure only, and stop and ask your doctor or "
    "pharmacist if you see bruising or swelling."
)
CONTRA_COMMON = (
    "Do not press on broken skin or a wound; after a fall or injury, until a possible broken bone has been ruled "
    "out; on skin that is red, hot or swollen, or near an infection, including a bone infection; on a recent deep "
    "bruise; or if your calf is swollen or painful (get that checked the same day). If you have osteoporosis or "
    "take long-term steroids and have new severe pain, get it checked before pressing."
)
CONTRA_FOOT = (
    CONTRA_COMMON + " Do not press a heel that started hurting after a big jump in how much you walk or run: that "
    "can be a stress fracture of the heel bone. If you have diabetes, reduced feeling in your feet, or a foot ulcer "
    "now or in the past, ask your diabetes foot team or podiatrist before pressing here: on a numb foot the "
    "discomfort scale cannot tell you how hard you are pressing. " + BLOOD_THINNERS
)
CONTRA_GLUTE = (
    CONTRA_COMMON
    + " After recent hip or spine surgery, or if you are pregnant, ask your clinician first. "
    + BLOOD_THINNERS
)

META_ANALYSIS = (
    "In a 2022 review of trials in which therapists pressed on trigger points, the spots became less sensitive to "
    "pressure, but the pain people reported fell no more than with the comparison treatments."
)
FINDING = "Finding trigger points by touch is unreliable, even between trained examiners."
FOOT_SCIATICA = (
    "No source, the standard trigger-point textbook included, describes points in the foot spreading pain up into "
    "the buttock or leg, and the source article itself says there is no scientific evidence for it. Foot points "
    "are described as spreading pain to the heel and sole only. It can work the other way round: heel and sole "
    "pain can itself come from the lower back."
)
HEEL_LOCAL = (
    "For heel pain, one trial of 60 people found that a therapist pressing points in the calf muscles, together "
    "with stretching, did better at one month than stretching alone; it did not treat the sole. A review of "
    "hands-on therapy for heel pain in general, joint mobilisation included, found that function improved, but "
    "pain improved in only 2 of 6 studies. No study tested pressing the sole yourself with a ball."
)
GLUTE_TRIALS = (
    "For sciatica, a few small, low-quality trials have tested needling or injection of glute points by a "
    "clinician in people with pain down the leg; none tested pressing with a ball yourself."
)
NERVE_ROOT = (
    "Tender glute spots are common in people whose sciatica comes from an irritated nerve root (in one study, 76% "
    "of them against 2% of people without it, mostly on the painful side), so a tender spot here does not rule out "
    "a nerve problem, and tenderness on the painful side is expected."
)
GLUTE_MEDIUS = (
    "Experts describe gluteus medius points as spreading pain to the low back, the base of the spine and the "
    "buttock, not down the leg. This is clinical description, not trial evidence."
)
GLUTE_MINIMUS = (
    "Experts describe gluteus minimus points as causing sciatica-like pain down the side or back of the thigh and "
    "calf. This is clinical description, not trial evidence."
)
SOURCES_FOOT = (
    "Sources: Travell and Simons, Myofascial Pain and Dysfunction, vol. 2 (1992); heel-pain review, PMC5539575; "
    "Lucas and colleagues 2009 (reliability); 2022 meta-analysis, PMC9434898."
)
SOURCES_HEEL = (
    "Sources: Renan-Ordine and colleagues, JOSPT 2011; Fraser and colleagues 2018, PMC5901427; Travell and Simons "
    "(1992); Lucas and colleagues 2009; 2022 meta-analysis, PMC9434898."
)
SOURCES_GLUTE = (
    "Sources: Travell and Simons, vol. 2 (1992); clinician needling trial, PMC5244646; Adelmanesh and colleagues, "
    "Am J Phys Med Rehabil 2015; Lucas and colleagues 2009; 2022 meta-analysis, PMC9434898."
)


def note(*parts: str) -> str:
    return " ".join(parts)


FOOT_NOTE = note(FOOT_SCIATICA, META_ANALYSIS, FINDING, SOURCES_FOOT)
HEEL_NOTE = note(FOOT_SCIATICA, HEEL_LOCAL, META_ANALYSIS, FINDING, SOURCES_HEEL)

POINTS = {
    "heel-behind-ball-of-foot": {
        "how_to_find": "Put the ball under the padded ball of your foot, then roll it a thumb's width back "
        "towards the heel.",
        "technique": TECHNIQUE_FOOT,
        "pressure_guidance": PRESSURE,
        "contraindications": CONTRA_FOOT,
        "evidence_level": "none",
        "local_problem": "heel and sole pain",
        "local_evidence_level": "none",
        "evidence_note": FOOT_NOTE,
    },
    "heel-inside-edge": {
        "how_to_find": "Roll the ball under your heel, then tilt your foot slightly outwards so the inner edge of "
        "the heel rests on it.",
        "technique": TECHNIQUE_FOOT,
        "pressure_guidance": PRESSURE,
        "contraindications": CONTRA_FOOT,
        "evidence_level": "none",
        "local_problem": "heel pain",
        "local_evidence_level": "limited",
        "evidence_note": HEEL_NOTE,
    },
    "ball-of-foot-behind-big-toe": {
        "how_to_find": "Put the ball under your big toe, then roll it back until it sits under the joint at the "
        "base of the toe.",
        "technique": TECHNIQUE_FOOT,
        "pressure_guidance": PRESSURE,
        "contraindications": CONTRA_FOOT,
        "evidence_level": "none",
        "local_problem": "pain in the ball of the foot",
        "local_evidence_level": "none",
        "evidence_note": FOOT_NOTE,
    },
    "ball-of-foot-under": {
        "how_to_find": "With the ball under the front of your foot, roll it side to side across the pad behind "
        "your second and third toes.",
        "technique": TECHNIQUE_FOOT,
        "pressure_guidance": PRESSURE,
        "contraindications": CONTRA_FOOT,
        "evidence_level": "none",
        "local_problem": "pain in the ball of the foot",
        "local_evidence_level": "none",
        "evidence_note": FOOT_NOTE,
    },
    "plantar-fascia-bottom-of-foot": {
        "how_to_find": "Start with the ball under your heel and roll it slowly forwards along the arch; stop "
        "where it is tender.",
        "technique": TECHNIQUE_FOOT,
        "pressure_guidance": PRESSURE,
        "contraindications": CONTRA_FOOT,
        "evidence_level": "none",
        "local_problem": "heel pain",
        "local_evidence_level": "limited",
        "evidence_note": HEEL_NOTE,
    },
    "glute-top": {
        "location": "In the upper buttock, a few finger-widths below the bony rim of the pelvis that you can feel "
        "at your waist.",
        "how_to_find": "Feel for the bony rim of your pelvis at your waist. The spot is in the muscle a few "
        "finger-widths below it: put the ball there.",
        "technique": "Lie on your back with your knees bent and the ball under the spot. Roll a little up and "
        "down until you find a tender point, then let your weight settle onto it and hold still. Lift your hips "
        "slightly to lighten the pressure.",
        "pressure_guidance": PRESSURE_GLUTE,
        "contraindications": CONTRA_GLUTE,
        "referral_note": "Described as spreading pain to the low back, the base of the spine and the buttock, not "
        "down the leg.",
        "evidence_level": "limited",
        "local_problem": "buttock and low back pain",
        "local_evidence_level": "expert",
        "evidence_note": note(GLUTE_MEDIUS, GLUTE_TRIALS, NERVE_ROOT, META_ANALYSIS, FINDING, SOURCES_GLUTE),
    },
    "glute-side": {
        "location": "On the outer side of the buttock, a little above and in front of the bony point at the side "
        "of the hip.",
        "how_to_find": "Feel for the bony point at the side of your hip. The spot is in the muscle a little above "
        "and in front of it: put the ball there, not on the bone.",
        "technique": "Stand sideways to a wall with the ball between the wall and the spot. Lean into the wall to "
        "press and roll a little until you find a tender point, then hold still. Lean away to lighten the "
        "pressure. Ease off if the bony point of the hip itself is tender, or if lying on that side hurts: an "
        "irritated hip tendon there can be made worse by pressure.",
        "pressure_guidance": PRESSURE_GLUTE,
        "contraindications": CONTRA_GLUTE,
        "referral_note": "Described as spreading pain down the side or back of the thigh and calf, a pattern "
        "called 'pseudo-sciatica'.",
        "evidence_level": "limited",
        "local_problem": "buttock and hip pain",
        "local_evidence_level": "expert",
        "evidence_note": note(GLUTE_MINIMUS, GLUTE_TRIALS, NERVE_ROOT, META_ANALYSIS, FINDING, SOURCES_GLUTE),
    },
}

# Custom points were given these defaults when made (routines/forms.py): they follow the new wording.
OLD_CUSTOM_PRESSURE = (
    "Use the 0-10 discomfort scale: start light (about 3), build to moderate (about 5) and stay at or under 7. "
    "It should feel strong, never sharp, burning or tingling."
)
OLD_CUSTOM_CONTRAINDICATIONS = (
    "Do not press on an open wound, a possible fracture, a swollen or painful calf, or skin that is red, hot or "
    "swollen. Keep the pressure light if you take blood thinners or if the area feels numb."
)
CUSTOM_CONTRAINDICATIONS = CONTRA_COMMON + " " + BLOOD_THINNERS


def _old_values() -> dict[str, dict]:
    """0002's text for each built-in point, for going backwards."""
    old = import_module("routines.migrations.0002_builtin_catalogue")
    values = {}
    for data in old.POINTS:
        glute = data["view"] == "buttocks"
        values[data["slug"]] = {
            "location": data["location"],
            "how_to_find": data["how_to_find"],
            "technique": old.TECHNIQUE_GLUTE if glute else old.TECHNIQUE_FOOT,
            "pressure_guidance": old.PRESSURE,
            "contraindications": old.CONTRA_GLUTE if glute else old.CONTRA_FOOT,
            "referral_note": data["referral"],
            "evidence_level": data["evidence"],
            "local_problem": "",
            "local_evidence_level": "none",
            "evidence_note": data["note"],
        }
    return values


def reword_forwards(apps, schema_editor):
    Point = apps.get_model("routines", "Point")
    for slug, fields in POINTS.items():
        Point.objects.filter(slug=slug, owner=None).update(**fields)
    custom = Point.objects.filter(owner__isnull=False)
    custom.filter(pressure_guidance=OLD_CUSTOM_PRESSURE).update(pressure_guidance=PRESSURE)
    custom.filter(contraindications=OLD_CUSTOM_CONTRAINDICATIONS).update(contraindications=CUSTOM_CONTRAINDICATIONS)


def reword_backwards(apps, schema_editor):
    Point = apps.get_model("routines", "Point")
    for slug, fields in _old_values().items():
        Point.objects.filter(slug=slug, owner=None).update(**fields)
    custom = Point.objects.filter(owner__isnull=False)
    custom.filter(pressure_guidance=PRESSURE).update(pressure_guidance=OLD_CUSTOM_PRESSURE)
    custom.filter(contraindications=CUSTOM_CONTRAINDICATIONS).update(contraindications=OLD_CUSTOM_CONTRAINDICATIONS)


class Migration(migrations.Migration):
    dependencies = [("routines", "0005_point_evidence_by_problem")]

    operations = [migrations.RunPython(reword_forwards, reword_backwards)]
