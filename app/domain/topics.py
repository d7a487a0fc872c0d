"""The subjects students ask about, with the ways they write them.

A topic is a canonical interest ("automatización") that the memory stores and that
recommendations match against course names, descriptions and tags. Synonyms are written
in normalised form (see text.normalize): no accents, lower case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.domain.search_text import stem
from app.domain.text import normalize

TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "inteligencia artificial": ("inteligencia artificial", "ia", "ai", "i a", "intelijencia artificial"),
    "automatización": (
        "automatizar", "automatizacion", "automatiza", "automatico", "automaticamente", "automation",
        "flujos", "workflow", "zapier", "make", "n8n", "rpa", "tareas repetitivas", "automatizaciones",
        "automatizado", "automatizada", "automatizados",
    ),
    "excel": (
        "excel", "hojas de calculo", "hoja de calculo", "spreadsheet", "google sheets", "sheets", "planillas",
        "planilla", "macros", "reportes", "reporte", "exel", "tablas dinamicas", "formulas de excel",
    ),
    "machine learning": (
        "machine learning", "maquin lerning", "machin learning", "maquina learning", "aprendizaje automatico",
        "ml", "modelos predictivos", "scikit", "machine lerning", "maching learning",
        "aprendizaje de maquina",
    ),
    "deep learning": (
        "deep learning", "redes neuronales", "red neuronal", "aprendizaje profundo", "pytorch", "tensorflow",
        "deep lerning", "dip learning",
    ),
    "python": ("python", "pyton", "phyton", "pithon", "piton", "pyhton"),
    "programación": (
        "programacion", "programar", "codigo", "developer", "desarrollador", "coding", "programador",
    ),
    "análisis de datos": (
        "analisis de datos", "analista de datos", "data analytics", "datos", "data", "pandas", "estadistica",
        "dashboards", "dashboard", "power bi", "powerbi", "tableau", "business intelligence", "bi",
        "analitica de datos", "visualizacion de datos",
    ),
    "ciencia de datos": ("ciencia de datos", "data science", "cientifico de datos", "data scientist"),
    "marketing": (
        "marketing", "mercadeo", "mercadotecnia", "campañas", "redes sociales", "social media", "ads",
        "publicidad", "seo", "community manager", "email marketing", "embudo de ventas", "embudos",
        "instagram",
    ),
    "contenido": (
        "contenido", "contenidos", "copywriting", "copy", "escribir posts", "posts", "videos", "imagenes",
        "diseño", "creacion de contenido", "creador de contenido", "creadores de contenido", "reels",
        "tiktok", "publicaciones", "publicacion", "instagram",
    ),
    "chatbots": (
        "chatbot", "chatbots", "bot", "bots", "asistente virtual", "whatsapp bot", "atencion al cliente",
        "chat bot", "asistentes virtuales", "agente conversacional",
    ),
    "ia generativa": (
        "ia generativa", "generativa", "chatgpt", "chat gpt", "gpt", "prompts", "prompt",
        "prompt engineering", "midjourney", "llm", "llms", "gemini", "claude", "copilot", "chatgtp",
        "ingenieria de prompts",
    ),
    "ventas": (
        "ventas", "vender", "vendedor", "comercial", "crm", "clientes", "vendedores", "prospeccion",
        "prospectos",
    ),
    "finanzas": (
        "finanzas", "contabilidad", "contable", "contador", "facturas", "financiero", "contadores",
        "contadora", "contaduria", "contables",
    ),
    "recursos humanos": (
        "recursos humanos", "rrhh", "reclutamiento", "talento humano", "seleccion de personal", "reclutar",
        "gestion de talento",
    ),
    "educación": (
        "educacion", "docente", "docentes", "profesor", "profesora", "maestro", "maestra", "clases",
        "alumnos", "profesores", "maestros", "aula",
    ),
    "productividad": (
        "productividad", "productivo", "organizar", "ahorrar tiempo", "notion", "correos", "emails", "agenda",
        "gestion del tiempo",
    ),
    "visión por computadora": (
        "vision por computadora", "vision artificial", "computer vision", "reconocimiento de imagenes",
        "opencv", "vision por computador", "deteccion de objetos", "yolo",
    ),
    "nlp": (
        "nlp", "procesamiento de lenguaje", "lenguaje natural", "pln", "modelos de lenguaje", "rag",
        "embeddings",
    ),
    "ciberseguridad": (
        "ciberseguridad", "seguridad informatica", "hacking", "hacker", "ciber seguridad", "phishing",
        "ciberataques",
    ),
    "cloud": ("cloud", "nube", "aws", "azure", "google cloud", "gcp", "mlops", "docker", "kubernetes"),
    "sql": ("sql", "bases de datos", "base de datos", "postgres", "mysql", "consultas", "postgresql"),
    "no-code": ("no code", "nocode", "sin codigo", "low code", "lowcode", "bubble", "glide"),
    "salud": (
        "salud", "medico", "medica", "medicina", "enfermeria", "clinica", "hospital", "medicos", "doctor",
        "doctora", "enfermera", "enfermero", "clinicas", "pacientes", "hospitales",
    ),
    "legal": (
        "legal", "abogado", "abogada", "derecho", "juridico", "contratos", "abogados", "abogadas", "leyes",
        "jurisprudencia",
    ),
    "emprendimiento": (
        "emprendimiento", "emprender", "emprendedor", "emprendedora", "emprendedores", "pyme", "pymes",
        "mi negocio", "pequeño negocio", "pequeñas empresas",
    ),
}


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    for topic, synonyms in TOPIC_SYNONYMS.items():
        alternatives = "|".join(re.escape(s) for s in sorted(synonyms, key=len, reverse=True))
        compiled.append((topic, re.compile(rf"(?<![a-z0-9ñ])(?:{alternatives})(?![a-z0-9ñ])")))
    return tuple(compiled)


# -ar and -ir only: the -er words of the vocabulary are English nouns too ("zapier", "docker").
_INFINITIVE = re.compile(r"^[a-zñ]{4,}(?:ar|ir)$")


@lru_cache(maxsize=1)
def _verb_stems() -> tuple[tuple[str, frozenset[str]], ...]:
    """Each topic's one-word verbs by their stem: "programar" stands for "nunca ha programado"
    and "estoy programando" as well."""
    return tuple(
        (topic, frozenset(stem(s) for s in synonyms if " " not in s and _INFINITIVE.match(s)))
        for topic, synonyms in TOPIC_SYNONYMS.items()
    )


def extract_topics(text: str) -> list[str]:
    """Canonical topics mentioned in the text, in the order the vocabulary lists them."""
    normalized = normalize(text)
    if not normalized:
        return []
    stems = {stem(word) for word in normalized.split()}
    verbs = dict(_verb_stems())
    return [topic for topic, pattern in _patterns() if pattern.search(normalized) or verbs[topic] & stems]


def topic_terms(topic: str) -> tuple[str, ...]:
    """The normalised words that stand for a topic, the topic's own name first."""
    return (normalize(topic), *TOPIC_SYNONYMS.get(topic, ()))

