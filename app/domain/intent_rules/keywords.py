"""Keyword hints: single indicative words that vote when no rule was sure of anything."""

from __future__ import annotations

from app.domain.intent_rules.evidence import Evidence
from app.domain.intent_rules.resolution import PRIORITY
from app.domain.intents import Intent

# Single words that lean towards one intent (stems match by prefix). They are used only
# when no rule found anything better, and always score below ASK_AI_BELOW: a hint for
# the AI-less path, never a confident answer.
KEYWORD_HINTS: dict[Intent, tuple[str, ...]] = {
    Intent.OPT_OUT: (
        "baja",
        "spam",
        "molest",
        "borr",
        "elimin",
        "suscri",
        "permiso",
        "bloque",
        "insist",
        "acoso",
        "denunci",
    ),
    Intent.CONTACT_REQUEST: (
        "llamen",
        "llamame",
        "llamada",
        "llamar",
        "telefon",
        "whatsapp",
        "asesor",
        "humano",
        "persona",
        "ejecutiv",
        "contact",
        "comunic",
        "agente",
        "atiend",
        "atencion",
    ),
    Intent.PRICE_OBJECTION: (
        "caro",
        "caros",
        "costos",
        "carisim",
        "plata",
        "dinero",
        "lana",
        "guita",
        "lucas",
        "pasta",
        "presupuesto",
        "descuent",
        "cuota",
        "barat",
        "economic",
        "bolsillo",
        "sueldo",
        "salario",
        "quincena",
        "plazo",
        "mitad",
        "rebaj",
        "promo",
        "oferta",
        "pesos",
        "dolares",
        "financ",
    ),
    Intent.TIME_OBJECTION: (
        "tiempo",
        "ocupad",
        "agenda",
        "turno",
        "tesis",
        "hijos",
        "ninos",
        "bebe",
        "rato",
        "cansad",
        "liad",
        "jornada",
        "madrug",
    ),
    Intent.FREE_RESOURCES: (
        "gratis",
        "gratuit",
        "beca",
        "becas",
        "prueba",
        "muestra",
        "demo",
        "webinar",
        "regal",
        "free",
        "youtube",
        "masterclass",
        "ebook",
    ),
    Intent.BUYING_SIGNALS: (
        "inscrib",
        "inscripc",
        "matricul",
        "transferenc",
        "deposit",
        "tarjeta",
        "link",
        "enlace",
        "cupo",
        "reserv",
        "compr",
        "pago",
        "pagar",
        "apart",
        "registr",
    ),
    Intent.GENERAL_QUESTION: (
        "precio",
        "costo",
        "cuesta",
        "duracion",
        "dura",
        "horario",
        "certific",
        "diploma",
        "modalidad",
        "requisit",
        "temario",
        "profesor",
        "docentes",
        "fecha",
        "sesiones",
        "grabad",
        "online",
        "presencial",
        "zoom",
        "plataforma",
        "clases",
        "modulo",
        "examen",
        "nivel",
    ),
    Intent.EXPLORATION: (
        "curso",
        "cursos",
        "aprender",
        "estudiar",
        "recomiend",
        "opciones",
        "informacion",
        "interes",
        "capacit",
        "formacion",
        "programa",
        "diplomado",
        "taller",
        "bootcamp",
    ),
    Intent.AUTOMATION_NEED: (
        "automat",
        "manual",
        "repetitiv",
        "reporte",
        "informe",
        "factura",
        "proceso",
        "bot",
        "chatbot",
        "planilla",
        "pedidos",
        "inventario",
        "tedios",
        "negocio",
        "empresa",
        "tienda",
        "clientes",
    ),
    Intent.PROFESSION_CHANGE: (
        "carrera",
        "profesion",
        "empleo",
        "desemplead",
        "reconvert",
        "reinvent",
        "jubilad",
        "despid",
        "chamba",
        "laburo",
        "pega",
        "curro",
        "oficio",
        "rubro",
        "cambiar",
        "cambio",
    ),
}
KEYWORD_HINT_BASE = 0.45
KEYWORD_HINT_MAX = 0.58


def _keyword_matches(tokens: list[str], stems: tuple[str, ...]) -> int:
    return sum(
        1 for token in tokens if any(token == stem or (len(stem) >= 4 and token.startswith(stem)) for stem in stems)
    )


# Phrases whose words would vote for the wrong intent on their own ("recursos humanos" is
# a department, not a request for a human).
_FIXED_PHRASES: dict[tuple[str, str], str] = {
    ("recursos", "humanos"): "rrhh",
    ("talento", "humano"): "rrhh",
    ("capital", "humano"): "rrhh",
}


def _merge_fixed_phrases(tokens: list[str]) -> list[str]:
    merged: list[str] = []
    for token in tokens:
        if merged and (merged[-1], token) in _FIXED_PHRASES:
            merged[-1] = _FIXED_PHRASES[(merged[-1], token)]
        else:
            merged.append(token)
    return merged


def add_keyword_hints(evidence: Evidence) -> None:
    """Last resort when no rule was sure of anything: vote by indicative words."""
    if any(score >= KEYWORD_HINT_BASE + 0.1 for score in evidence.scores.values()):
        return
    tokens = _merge_fixed_phrases(evidence.tokens)
    counts = {intent: _keyword_matches(tokens, stems) for intent, stems in KEYWORD_HINTS.items()}
    for intent in evidence.scores:
        if intent in counts:
            counts[intent] += 1  # a weak rule that already fired is one more vote
    best = max(counts.values())
    if best == 0:
        return
    leaders = [intent for intent, count in counts.items() if count == best]
    winner = min(leaders, key=PRIORITY.index)
    weight = min(KEYWORD_HINT_MAX, KEYWORD_HINT_BASE + 0.05 * best) - (0.05 if len(leaders) > 1 else 0.0)
    evidence.add(f"keywords_{winner.value.lower()}", winner, weight)
