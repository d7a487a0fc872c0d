"""Confidence levels the classifier reports and the pipeline acts on."""

# Below this confidence the rules only guessed: the pipeline should ask the AI.
ASK_AI_BELOW = 0.6
# Evidence at or above this weight counts as a clear cue; clear cues are arbitrated by
# priority instead of by weight, because weights of different intents are not comparable.
STRONG = 0.75
FALLBACK_CONFIDENCE = 0.3
EMOJI_ONLY_CONFIDENCE = 0.2
