"""Which intent wins when a message carries cues for several."""

from __future__ import annotations

from app.domain.intent_rules.thresholds import STRONG
from app.domain.intents import Intent

# When several intents have clear cues the first one in this list wins. Opting out and
# asking for a human are commands; objections and free-resource asks are what blocks the
# sale, so they beat the buying signal or question they come with; specific needs beat
# generic questions; a greeting or off-topic remark only wins when nothing else is there.
PRIORITY: tuple[Intent, ...] = (
    Intent.OPT_OUT,
    Intent.CONTACT_REQUEST,
    Intent.FREE_RESOURCES,
    Intent.PRICE_OBJECTION,
    Intent.TIME_OBJECTION,
    Intent.BUYING_SIGNALS,
    Intent.PROFESSION_CHANGE,
    Intent.AUTOMATION_NEED,
    Intent.GENERAL_QUESTION,
    Intent.EXPLORATION,
    Intent.GREETING,
    Intent.OFF_TOPIC,
)


def resolve(scores: dict[Intent, float]) -> tuple[Intent, float]:
    """Pick the winner: clear cues by priority, otherwise the strongest weak cue."""
    opt_out = scores.get(Intent.OPT_OUT, 0.0)
    if opt_out >= 0.8:
        return Intent.OPT_OUT, opt_out
    strong = [intent for intent, score in scores.items() if score >= STRONG]
    if strong:
        winner = min(strong, key=PRIORITY.index)
    else:
        winner = max(scores, key=lambda intent: (scores[intent], -PRIORITY.index(intent)))
    confidence = scores[winner]
    # A mixed message is decided by priority, but with less certainty.
    rivals = [i for i in strong if i != winner and i not in {Intent.GREETING, Intent.OFF_TOPIC}]
    confidence -= 0.05 * len(rivals)
    return winner, confidence
