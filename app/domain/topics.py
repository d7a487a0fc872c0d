"""The subjects students ask about, with the ways they write them.

A topic is a canonical interest ("automatización") that the memory stores and that
recommendations match against course names, descriptions and tags. Synonyms are written
in normalised form (see text.normalize): no accents, lower case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.domain.text import normalize

TOPIC_SYNONYMS: dict[str, tuple[str, ...]] = {
    "inteligencia artificial": ("inteligencia artificial", "ia", "ai", "i a", "intelijencia artificial"),
    "automatización": ("automatizar", "automatizacion", "automatiza", "automatico", "automaticamente", "automation", "flujos", "workflow", "zapier", "make", "n8n", "rpa", "tareas repetitivas"),
    "excel": ("excel", "hojas de calculo", "hoja de calculo", "spreadsheet", "google sheets", "sheets", "planillas", "planilla", "macros", "reportes", "reporte"),
    "machine learning": ("machine learning", "maquin lerning", "machin learning", "maquina learning", "aprendizaje automatico", "ml", "modelos predictivos", "scikit"),
    "deep learning": ("deep learning", "redes neuronales", "red neuronal", "aprendizaje profundo", "pytorch", "tensorflow"),
    "python": ("python", "pyton", "phyton", "pithon", "piton"),
    "programación": ("programacion", "programar", "codigo", "developer", "desarrollador", "coding", "programador"),
    "análisis de datos": ("analisis de datos", "analista de datos", "data analytics", "datos", "data", "pandas", "estadistica", "dashboards", "dashboard", "power bi", "powerbi", "tableau", "business intelligence", "bi"),
    "ciencia de datos": ("ciencia de datos", "data science", "cientifico de datos", "data scientist"),
    "marketing": ("marketing", "mercadeo", "mercadotecnia", "campañas", "redes sociales", "social media", "ads", "publicidad", "seo", "community manager"),
    "contenido": ("contenido", "contenidos", "copywriting", "copy", "escribir posts", "posts", "videos", "imagenes", "diseño", "creacion de contenido"),
    "chatbots": ("chatbot", "chatbots", "bot", "bots", "asistente virtual", "whatsapp bot", "atencion al cliente"),
    "ia generativa": ("ia generativa", "generativa", "chatgpt", "chat gpt", "gpt", "prompts", "prompt", "prompt engineering", "midjourney", "llm", "llms", "gemini", "claude", "copilot"),
    "ventas": ("ventas", "vender", "vendedor", "comercial", "crm", "clientes"),
    "finanzas": ("finanzas", "contabilidad", "contable", "contador", "facturas", "financiero"),
    "recursos humanos": ("recursos humanos", "rrhh", "reclutamiento", "talento humano", "seleccion de personal"),
    "educación": ("educacion", "docente", "docentes", "profesor", "profesora", "maestro", "maestra", "clases", "alumnos"),
    "productividad": ("productividad", "productivo", "organizar", "ahorrar tiempo", "notion", "correos", "emails", "agenda"),
    "visión por computadora": ("vision por computadora", "vision artificial", "computer vision", "reconocimiento de imagenes", "opencv"),
    "nlp": ("nlp", "procesamiento de lenguaje", "lenguaje natural", "pln"),
    "ciberseguridad": ("ciberseguridad", "seguridad informatica", "hacking", "hacker"),
    "cloud": ("cloud", "nube", "aws", "azure", "google cloud", "gcp"),
    "sql": ("sql", "bases de datos", "base de datos", "postgres", "mysql", "consultas"),
    "no-code": ("no code", "nocode", "sin codigo", "low code", "lowcode", "bubble", "glide"),
    "salud": ("salud", "medico", "medica", "medicina", "enfermeria", "clinica", "hospital"),
    "legal": ("legal", "abogado", "abogada", "derecho", "juridico", "contratos"),
}

@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    for topic, synonyms in TOPIC_SYNONYMS.items():
        alternatives = "|".join(re.escape(s) for s in sorted(synonyms, key=len, reverse=True))
        compiled.append((topic, re.compile(rf"(?<![a-z0-9ñ])(?:{alternatives})(?![a-z0-9ñ])")))
    return tuple(compiled)


def extract_topics(text: str) -> list[str]:
    """Canonical topics mentioned in the text, in the order the vocabulary lists them."""
    normalized = normalize(text)
    if not normalized:
        return []
    return [topic for topic, pattern in _patterns() if pattern.search(normalized)]


def topic_terms(topic: str) -> tuple[str, ...]:
    """The normalised words that stand for a topic, the topic's own name first."""
    return (normalize(topic), *TOPIC_SYNONYMS.get(topic, ()))

