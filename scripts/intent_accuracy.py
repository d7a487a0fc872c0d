"""Measure the rule intent classifier on labelled JSONL sets.

Usage (from the repository root):
    .venv/bin/python scripts/intent_accuracy.py                 # dev, holdout and blind sets
    .venv/bin/python scripts/intent_accuracy.py --set tests/data/intent_holdout.jsonl
    .venv/bin/python scripts/intent_accuracy.py --min-accuracy 0.95

Each line of a set is {"text": "...", "intent": "GREETING"}. Prints accuracy, per-intent
precision/recall, the confusion matrix and every misclassified message; exits with 1
when any set scores below --min-accuracy.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    # Running as a plain script puts scripts/ on the path, not the repository root.
    sys.path.insert(0, str(REPO_ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from app.domain.intent_rules import RuleIntentClassifier  # noqa: E402
from app.domain.intents import Intent  # noqa: E402

DEFAULT_SETS = (
    REPO_ROOT / "tests" / "data" / "intent_set.jsonl",
    REPO_ROOT / "tests" / "data" / "intent_holdout.jsonl",
    REPO_ROOT / "tests" / "data" / "intent_blind.jsonl",
)
INTENTS = tuple(Intent)
SHORT_NAMES = {
    Intent.GREETING: "GREET",
    Intent.EXPLORATION: "EXPL",
    Intent.BUYING_SIGNALS: "BUY",
    Intent.GENERAL_QUESTION: "QUEST",
    Intent.AUTOMATION_NEED: "AUTO",
    Intent.PROFESSION_CHANGE: "CAREER",
    Intent.PRICE_OBJECTION: "PRICE",
    Intent.TIME_OBJECTION: "TIME",
    Intent.CONTACT_REQUEST: "CONTACT",
    Intent.FREE_RESOURCES: "FREE",
    Intent.OPT_OUT: "OPTOUT",
    Intent.OFF_TOPIC: "OFF",
}


@dataclass(frozen=True)
class Example:
    text: str
    expected: Intent


@dataclass(frozen=True)
class Prediction:
    example: Example
    predicted: Intent
    confidence: float
    rules: tuple[str, ...]

    @property
    def correct(self) -> bool:
        return self.predicted == self.example.expected


def load_examples(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            examples.append(Example(text=row["text"], expected=Intent(row["intent"])))
        except (ValueError, KeyError) as error:
            raise SystemExit(f"{path}:{number}: bad line ({error})") from error
    return examples


def evaluate(examples: list[Example]) -> list[Prediction]:
    classifier = RuleIntentClassifier()
    predictions = []
    for example in examples:
        result = classifier.classify(example.text)
        predictions.append(Prediction(example, result.intent, result.confidence, result.matched_rules))
    return predictions


def accuracy(predictions: list[Prediction]) -> float:
    return sum(p.correct for p in predictions) / len(predictions) if predictions else 0.0


def per_intent_table(predictions: list[Prediction]) -> Table:
    support = Counter(p.example.expected for p in predictions)
    predicted = Counter(p.predicted for p in predictions)
    hits = Counter(p.predicted for p in predictions if p.correct)
    table = Table(title="Per intent")
    for column in ("intent", "support", "precision", "recall", "f1"):
        table.add_column(column, justify="left" if column == "intent" else "right")
    for intent in INTENTS:
        precision = hits[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = hits[intent] / support[intent] if support[intent] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        style = "red" if recall < 0.9 or precision < 0.9 else ""
        table.add_row(intent.value, str(support[intent]), f"{precision:.2f}", f"{recall:.2f}", f"{f1:.2f}", style=style)
    return table


def confusion_table(predictions: list[Prediction]) -> Table:
    counts = Counter((p.example.expected, p.predicted) for p in predictions)
    table = Table(title="Confusion matrix (rows: expected, columns: predicted)")
    table.add_column("expected \\ predicted")
    for intent in INTENTS:
        table.add_column(SHORT_NAMES[intent], justify="right")
    for expected in INTENTS:
        cells = []
        for predicted in INTENTS:
            count = counts[(expected, predicted)]
            text = str(count) if count else "."
            cells.append(
                f"[green]{text}[/]" if expected == predicted and count else (f"[red]{text}[/]" if count else text)
            )
        table.add_row(SHORT_NAMES[expected], *cells)
    return table


def errors_table(predictions: list[Prediction]) -> Table:
    table = Table(title="Misclassified", show_lines=False)
    table.add_column("expected")
    table.add_column("predicted")
    table.add_column("conf", justify="right")
    table.add_column("text")
    table.add_column("rules")
    for p in predictions:
        if not p.correct:
            table.add_row(
                p.example.expected.value, p.predicted.value, f"{p.confidence:.2f}", p.example.text, ", ".join(p.rules)
            )
    return table


def report(console: Console, path: Path, predictions: list[Prediction]) -> float:
    score = accuracy(predictions)
    console.rule(f"{path.name}")
    console.print(f"[bold]{path}[/]: accuracy {score:.3f} ({sum(p.correct for p in predictions)}/{len(predictions)})")
    console.print(per_intent_table(predictions))
    console.print(confusion_table(predictions))
    if any(not p.correct for p in predictions):
        console.print(errors_table(predictions))
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", action="append", type=Path, help="JSONL set (repeatable)")
    parser.add_argument("--min-accuracy", type=float, default=0.92, help="fail below this accuracy (default 0.92)")
    args = parser.parse_args(argv)
    console = Console(width=200)
    failed = False
    summary = []
    for path in args.sets or list(DEFAULT_SETS):
        score = report(console, path, evaluate(load_examples(path)))
        summary.append((path.name, score))
        failed = failed or score < args.min_accuracy
    for name, score in summary:
        console.print(f"{name}: accuracy {score:.3f}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
