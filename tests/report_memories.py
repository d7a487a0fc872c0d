"""Hand-made memories covering every case the lead report distinguishes.

Each memory's `lead_score` is what the bot stores after a message: the base score as of its
last message (score_lead at last_interaction_at). Shared by the JSON report tests and the
PostgreSQL agreement tests, so both stores are checked on the same people.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.domain.intents import Intent
from app.domain.lead_scoring import score_lead
from app.domain.memory import HistoryEntry, UserMemory
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
COURSE_EXCEL = "8032791c-8f7e-59b7-b2a5-98932ae1a04e"  # Automatización de Reportes de Excel con Python e IA
COURSE_PYTHON = "c7f5bfc6-05f2-57d1-b001-ff39f27a9932"  # Python desde Cero

ANA = "whatsapp:+573001110001"
LUIS = "whatsapp:+573001110002"
CARLA = "whatsapp:+573001110003"
PEDRO = "whatsapp:+573001110004"
SOFIA = "whatsapp:+573001110005"
JORGE = "whatsapp:+573001110006"
VALENTINA = "whatsapp:+573001110007"
DIEGO = "whatsapp:+573001110008"
NADIE = "whatsapp:+573001110009"
MARTA = "whatsapp:+573001110010"


def _history(texts: list[str], at: datetime) -> list[HistoryEntry]:
    entries = []
    for text in texts:
        entries.append(HistoryEntry(role="user", text=text, at=at, intent=Intent.EXPLORATION))
        entries.append(HistoryEntry(role="assistant", text="Claro, te cuento.", at=at))
    return entries


def memory(user_id: str, *, idle: timedelta | None, first_days_ago: int, **fields: object) -> UserMemory:
    last = NOW - idle if idle is not None else None
    texts = fields.pop("texts", ["Hola"])
    built = UserMemory(
        user_id=user_id,
        first_interaction_at=NOW - timedelta(days=first_days_ago) if last is not None else None,
        last_interaction_at=last,
        message_history=_history(texts, last) if last is not None else [],  # type: ignore[arg-type]
        created_at=NOW - timedelta(days=first_days_ago),
        **fields,  # type: ignore[arg-type]
    )
    scored_at = last or NOW
    return built.model_copy(update={"lead_score": score_lead(built, scored_at).base_score})


def sample_memories() -> list[UserMemory]:
    buying, contact, exploring = Intent.BUYING_SIGNALS.value, Intent.CONTACT_REQUEST.value, Intent.EXPLORATION.value
    return [
        # Ready to close, wrote yesterday, asked for a person, gave consent.
        memory(
            ANA, idle=timedelta(days=1), first_days_ago=3, name="Ana Gómez", role="contadora",
            interests=["excel", "python"], interaction_count=8, human_requested=True, marketing_consent=True,
            intent_counts={buying: 2, contact: 1, exploring: 2}, requested_course_ids=[COURSE_EXCEL],
            texts=["Hola, soy Ana", "Quiero inscribirme al curso de Excel", "=HYPERLINK(\"http://x\")"],
        ),
        # Warm, 10 days silent (keeps 85 %).
        memory(
            LUIS, idle=timedelta(days=10), first_days_ago=12, name="Luis", interests=["python"],
            interaction_count=4, marketing_consent=True, intent_counts={exploring: 3},
            requested_course_ids=[COURSE_PYTHON], texts=["¿Qué cursos de python tienen?"],
        ),
        # Same memory shape and same last contact as Luis: tie broken by user id.
        memory(
            DIEGO, idle=timedelta(days=10), first_days_ago=12, name="Diego", interests=["python"],
            interaction_count=4, intent_counts={exploring: 3}, requested_course_ids=[COURSE_PYTHON],
        ),
        # Hot once, 45 days silent, consent: re-engagement 30-89.
        memory(
            CARLA, idle=timedelta(days=45), first_days_ago=60, name="Carla", role="community manager",
            interests=["marketing"], interaction_count=6, marketing_consent=True,
            intent_counts={buying: 1, exploring: 2}, requested_course_ids=[COURSE_EXCEL],
        ),
        # 120 days silent, consent: re-engagement 90+ (keeps 40 %).
        memory(
            PEDRO, idle=timedelta(days=120), first_days_ago=130, name="Pedro", interests=["machine learning"],
            interaction_count=5, marketing_consent=True, intent_counts={buying: 1, exploring: 1},
        ),
        # 100 days silent without consent: in no re-engagement list.
        memory(
            SOFIA, idle=timedelta(days=100), first_days_ago=100, name="Sofía", interests=["excel"],
            interaction_count=2, intent_counts={exploring: 1},
        ),
        # Opted out after showing strong interest: excluded from every list and lead figure.
        memory(
            JORGE, idle=timedelta(hours=5), first_days_ago=2, name="Jorge", interests=["python", "excel"],
            interaction_count=9, opted_out=True, human_requested=True,
            intent_counts={buying: 3, contact: 1, Intent.OPT_OUT.value: 1}, requested_course_ids=[COURSE_PYTHON],
        ),
        # Just said hello today.
        memory(VALENTINA, idle=timedelta(minutes=30), first_days_ago=0, interaction_count=1, texts=["Hola"]),
        # A row without any message (imported from elsewhere): no decay, never "active".
        memory(NADIE, idle=None, first_days_ago=5, name="Nadie", interests=["sql"]),
        # Exactly 7 days silent: the first decay step applies.
        memory(
            MARTA, idle=timedelta(days=7), first_days_ago=8, name="Marta", interests=["excel"],
            interaction_count=3, intent_counts={exploring: 2}, marketing_consent=True,
        ),
    ]  # fmt: skip


# Topics for many_memories: more than the report's top ten, so the ranking has work to do.
MANY_TOPICS = (
    "python", "excel", "machine learning", "marketing digital", "sql", "power bi", "automatización de procesos",
    "inteligencia artificial generativa", "chatgpt para empresas", "análisis de datos", "finanzas", "ventas",
    "recursos humanos", "programación web", "ciberseguridad", "cloud", "estadística", "redes neuronales",
)  # fmt: skip


def many_memories(count: int) -> Iterator[UserMemory]:
    """`count` distinct leads built from the hand-made ones: new phones, names, dates, interests.

    Cheap (a model_copy each), so a report over 100,000 leads is built in seconds, without
    writing 100,000 files.
    """
    templates = sample_memories()
    for index in range(count):
        template = templates[index % len(templates)]
        shift = timedelta(days=index % 97, minutes=index % 1440)
        last = template.last_interaction_at - shift if template.last_interaction_at else None
        first = last - timedelta(days=index % 13) if last else None
        yield template.model_copy(
            update={
                "user_id": f"whatsapp:+57{3_000_000_000 + index}",
                "name": f"{template.name or 'Lead'} {index}",
                "interests": [MANY_TOPICS[index % len(MANY_TOPICS)], MANY_TOPICS[(index * 7) % len(MANY_TOPICS)]],
                "last_interaction_at": last,
                "first_interaction_at": first,
            }
        )


class ListedMemoryRepository(JsonUserMemoryRepository):
    """The JSON memory store's reading side over memories held in a list (for large reports)."""

    def __init__(self, memories: list[UserMemory]) -> None:
        super().__init__(Path("/nonexistent-memory-directory"))
        self._memories = memories

    async def iter_memories(self) -> AsyncIterator[UserMemory]:
        for memory in self._memories:
            yield memory
