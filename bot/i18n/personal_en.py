"""English strings of the personal Berita Pilihan: feedback buttons, why, reset."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "feedback.more": "👍 More like this",
    "feedback.less": "👎 Less like this",
    "feedback.more_n": "👍 {n}",
    "feedback.less_n": "👎 {n}",
    "feedback.hint": "👍/👎 below: more or fewer stories like that number.",
    "feedback.reset": "↺ Reset my picks",
    "feedback.why": "Because you follow {names}",
    "feedback.learned_more": "👍 Noted: more stories like this.",
    "feedback.learned_less": "👎 Noted: fewer stories like this.",
    "feedback.already": "Already noted.",
    "feedback.story_gone": "This story is no longer stored; nothing changed.",
    "feedback.stale_reset": "This button is from before your picks were reset; nothing changed.",
    "feedback.erased": "This chat's data was deleted; old buttons change nothing.",
    "feedback.admins_only": "Only admins can teach Berita Pilihan here; nothing changed.",
    "feedback.reset_done": "Your picks were reset: Berita Pilihan is the editors' ranking again.",
    "feedback.reset_none": "Nothing was learned yet; nothing to reset.",
}
