"""Rule-based extraction of what a message says about the person writing it.

Conservative by design: a wrong name or role in the memory is worse than none, because
replies address the student with it. Every extractor works clause by clause (commas and
full stops end a clause) on words aligned between the original text, which keeps accents
and capitals, and the normalised text, which the patterns are written for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.courses import Level
from app.domain.profile import ProfileUpdate
from app.domain.text import normalize
from app.domain.topics import extract_topics


def _word_set(words: str) -> frozenset[str]:
    """A whitespace-separated word list written as a block of text, as a set."""
    return frozenset(words.split())


MAX_NAME_WORDS = 3
MAX_OBJECT_WORDS = 5
MAX_PAIN_POINTS = 3

# Canonical role -> the normalised ways people name it (masculine, feminine, variants).
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "contador": ("contador", "contadora", "contable", "contador publico", "contadora publica", "auditor", "auditora"),
    "diseñador": ("diseñador", "diseñadora", "diseñador grafico", "diseñadora grafica", "disenador", "disenadora"),
    "estudiante": ("estudiante", "universitario", "universitaria", "alumno", "alumna"),
    "docente": (
        "docente",
        "profesor",
        "profesora",
        "maestro",
        "maestra",
        "profe",
        "educador",
        "educadora",
        "catedratico",
        "catedratica",
        "instructor",
        "instructora",
    ),
    "emprendedor": (
        "emprendedor",
        "emprendedora",
        "empresario",
        "empresaria",
        "comerciante",
        "dueño",
        "dueña",
        "independiente",
        "freelance",
        "freelancer",
    ),
    "desarrollador": (
        "desarrollador",
        "desarrolladora",
        "programador",
        "programadora",
        "developer",
        "dev",
        "ingeniero de software",
        "ingeniera de software",
    ),
    "científico de datos": ("cientifico de datos", "cientifica de datos", "data scientist"),
    "analista": ("analista", "analista de datos", "data analyst"),
    "médico": ("medico", "medica", "doctor", "doctora"),
    "enfermero": ("enfermero", "enfermera"),
    "abogado": ("abogado", "abogada", "licenciado en derecho", "licenciada en derecho"),
    "gerente": (
        "gerente",
        "director",
        "directora",
        "jefe",
        "jefa",
        "manager",
        "supervisor",
        "supervisora",
        "coordinador",
        "coordinadora",
    ),
    "vendedor": (
        "vendedor",
        "vendedora",
        "ejecutivo de ventas",
        "ejecutiva de ventas",
        "asesor comercial",
        "asesora comercial",
        "comercial",
    ),
    "marketer": (
        "marketer",
        "mercadologo",
        "mercadologa",
        "community manager",
        "publicista",
        "especialista en marketing",
    ),
    "ingeniero": ("ingeniero", "ingeniera"),
    "administrativo": (
        "administrativo",
        "administrativa",
        "secretaria",
        "secretario",
        "recepcionista",
        "asistente administrativo",
        "asistente administrativa",
        "administrador",
        "administradora",
    ),
    "psicólogo": ("psicologo", "psicologa"),
    "arquitecto": ("arquitecto", "arquitecta"),
    "periodista": ("periodista", "comunicador", "comunicadora"),
    "reclutador": ("reclutador", "reclutadora"),
}
# More occupations, named by their masculine form; the feminine is derived. Knowing them
# keeps "soy mesero" from being read as a name and records the role.
OTHER_ROLES: frozenset[str] = _word_set(
    """
    mesero chef cocinero panadero pastelero veterinario chofer conductor taxista camionero repartidor mensajero
    obrero operario albañil carpintero plomero electricista mecánico técnico soldador pintor jardinero agricultor
    ganadero pescador músico cantante actor bailarín artista fotógrafo escritor traductor locutor productor
    economista biólogo químico físico matemático farmacéutico dentista odontólogo nutriólogo nutricionista
    fisioterapeuta terapeuta cuidador niñero enfermero policía militar bombero guardia vigilante piloto azafato
    cajero recepcionista estilista peluquero barbero costurero sastre investigador consultor asistente auxiliar
    jubilado pensionado administrador deportista entrenador coach influencer youtuber creador bibliotecario
    trabajador empleado funcionario
    """
)


def _gender_variants(role: str) -> tuple[str, ...]:
    """ "mesero" -> ("mesero", "mesera"); "repartidor" -> (..., "repartidora")."""
    base = normalize(role)
    if base.endswith("o"):
        return (base, f"{base[:-1]}a")
    if base.endswith(("or", "ín", "in")):
        return (base, f"{base.replace('ín', 'in')}a")
    return (base,)


for _role in OTHER_ROLES:
    ROLE_SYNONYMS.setdefault(_role, _gender_variants(_role))

# What people say they work in ("trabajo en ventas", "me dedico a la contabilidad").
FIELD_ROLES: dict[str, str] = {
    "ventas": "vendedor",
    "contabilidad": "contador",
    "marketing": "marketer",
    "mercadeo": "marketer",
    "docencia": "docente",
    "enseñanza": "docente",
    "educacion": "docente",
    "programacion": "desarrollador",
    "desarrollo de software": "desarrollador",
    "diseño": "diseñador",
    "diseño grafico": "diseñador",
    "recursos humanos": "reclutador",
    "rrhh": "reclutador",
    "finanzas": "analista",
    "analisis de datos": "analista",
    "ciencia de datos": "científico de datos",
}
# Owning a business makes someone an entrepreneur for the purposes of course advice.
_BUSINESS_OWNER = re.compile(
    r"(?:^| )(?:tengo|tenemos|manejo|administro|abri|estoy montando|soy dueño de|soy dueña de|soy dueno de|"
    r"soy duena de) (?:un |una |mi |propio |propia |"
    r"pequeño |pequeña |pequeno |pequena )*(?:tienda|negocio|negocito|emprendimiento|empresa|pyme|"
    r"restaurante|"
    r"cafeteria|local|consultorio|despacho|agencia|ecommerce|e commerce|tiendita|startup|changarro|marca)"
    r"(?: |$)"
)
_ROLE_LEADS = (
    r"soy|trabajo como|trabajo de|laboro como|me desempeño como|ejerzo como|mi profesion es|de profesion|"
    r"me dedico a ser|estoy trabajando como|actualmente soy|yo soy|soy un|soy una|trabajo como un|"
    r"trabajo como una"
)
_FIELD_LEADS = (
    r"trabajo en|me dedico a|me dedico al|laboro en|estoy en el area de|trabajo en el area de|soy del area de"
)


# Words that can follow "soy" / "me llamo" and are not a name.
_NOT_NAMES: frozenset[str] = _word_set(
    """
    de del desde la el los las un una uno y e o pero que quien tengo quiero estoy soy me mi mis muy bastante
    super re nuevo nueva nuevos principiante novato novata estudiante alumno alumna mama papa madre padre hijo
    hija esposa esposo abuelo abuela soltero soltera casado casada divorciado divorciada jubilado jubilada
    desempleado desempleada independiente interesado interesada yo alguien amigo amiga cliente egresado egresada
    licenciado licenciada tecnico tecnica fan apasionado apasionada curioso curiosa autodidacta persona
    mexicano mexicana colombiano colombiana argentino argentina chileno chilena peruano peruana venezolano
    venezolana ecuatoriano ecuatoriana boliviano boliviana uruguayo uruguaya paraguayo paraguaya espanol
    espanola guatemalteco guatemalteca hondureno hondurena salvadoreno salvadorena nicaraguense costarricense
    panameno panamena cubano cubana dominicano dominicana puertorriqueno puertorriquena latino latina
    extranjero extranjera migrante bueno buena malo mala mayor menor joven grande chico chica feliz aqui aca
    ahi alla nada todo algo asi tambien ya no si solo sola solamente el ella ellos usted ustedes tu vos hola
    buenas buenos gracias favor por para con sin en al a como cuando donde porque pues bien mal gusto
    encantado encantada nuevo nuevita primera primer vez otra otro dueno duena empleado empleada trabajador
    trabajadora profesional emprendedor emprendedora ingeniero ingeniera humano real bot interesad
    escribiendo escribo escribe viendo preguntando consultando aprendiendo buscando necesito tenia queria
    dueño dueña español española hondureño hondureña salvadoreño salvadoreña panameño panameña puertorriqueño
    puertorriqueña fanatico fanatica aficionado aficionada experto experta responsable parte miembro socio socia
    madre padre soltera casado viudo viuda mexicanos colombianos argentinos andamos estamos ando seguimos sigo
    estoy vivo trabajo estudio vengo llego ya otra vez nuevamente recien recién sincero sincera honesto honesta
    franco franca clara claro directo directa breve nueva nuevo ing lic dr dra sr sra srta señor señora señorita
    senor senora senorita prof mtro mtra arq don doña dona licenciado licenciada doctor doctora
    """
)
_NAME_LEADS = re.compile(
    r"(?:^| )(?P<lead>me llamo|mi nombre es|mi nombre|soy|habla|aqui|aca|les escribe|te escribe|les saluda|"
    r"te saluda|les habla|te habla|mi nombre completo es)(?= )"
)
# After these leads the next word is a name unless it is plainly not one; after "soy",
# "aqui" or "habla" the word must also not be a role or a place.
_STRONG_NAME_LEADS = frozenset({"me llamo", "mi nombre es", "mi nombre", "mi nombre completo es"})

# A verb the task starts with: "hacer", "armando", "revisarlos".
_TASK_VERB = r"\w+(?:ar|er|ir|ando|iendo|yendo)(?:me|lo|la|los|las|le|les|se)?(?![a-zñ])"
_TIME_SPENT = (
    r"(?:mucho |muchas |muchisimo |demasiado |demasiadas |todo el |toda la |medio |horas de |un monton de |"
    r"mi |el |la )?"
    r"(?:tiempo|horas|dias|dia|mañana|manana|tarde|mañanas|mananas|tardes|vida) (?:entera |entero )?"
    r"(?:a la semana |al dia |cada semana |cada dia |diarias |semanales )?"
)
# (pattern, template): "{object}" is the task in the writer's own words; templates that
# start with the object's verb read "pierde tiempo haciendo reportes", otherwise
# "pierde tiempo en reportes".
_PAIN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?:pierdo|perdemos|gasto|gastamos|se me va|se nos va|se me van|se nos van|me lleva|me toma|"
            r"me come|"
            r"me paso|me la paso|nos pasamos|paso|pasamos) "
            rf"{_TIME_SPENT}(?:en |con |a )?(?P<object>.+)"
        ),
        "pierde tiempo {object}",
    ),
    (
        re.compile(
            r"(?:tardo|tardamos|demoro|demoramos|me demoro|nos demoramos) (?:mucho |muchisimo |horas |"
            r"demasiado |"
            rf"bastante |un monton |siglos )?(?:en )?(?P<object>{_TASK_VERB}(?: .+)?)"
        ),
        "tarda mucho {object}",
    ),
    (
        re.compile(rf"(?:me|nos) cuesta (?:mucho |bastante |trabajo )?(?P<object>{_TASK_VERB}(?: .+)?)"),
        "le cuesta {object}",
    ),
    (re.compile(rf"no se como (?P<object>{_TASK_VERB}(?: .+)?)"), "no sabe cómo {object}"),
    (
        re.compile(r"no se por donde (?P<object>empezar|comenzar|arrancar|empiezo|empezar con .+)"),
        "no sabe por dónde {object}",
    ),
    (
        re.compile(
            r"(?:tareas|trabajos|procesos|cosas) (?:son |que son |tan |super )?(?:muy |super |bien |tan )?"
            r"(?:repetitivas|repetitivos)"
        ),
        "tareas repetitivas",
    ),
    (re.compile(r"(?:copiar y pegar|copio y pego|copiando y pegando)"), "copia y pega datos a mano"),
    (
        re.compile(
            r"(?:hago|hacemos|llevo|llevamos|lleno|llenamos|armo|armamos|capturo|capturamos|reviso|revisamos|"
            r"registro|registramos|agendo|agendamos) (?P<object>.+?) (?:a mano|manualmente)"
        ),
        "hace {object} a mano",
    ),
)
_OBJECT_STOP = re.compile(
    r" (?:y|pero|porque|que|entonces|asi que|osea|o sea|cada|todos|todas|todo|por|para|cuando|ya que|pues|"
    r"a mano|manualmente|me|nos|es|son) "
)
_TRAILING_FUNCTION_WORDS = frozenset({"de", "del", "la", "las", "el", "los", "en", "a", "al", "con", "y", "un", "una"})
_GERUND = re.compile(r"^\w+(?:ando|iendo|yendo)$")

_LEVEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        Level.PRINCIPIANTE.value,
        re.compile(
            r"(?:^| )(?:soy (?:muy |super |un |una |totalmente |completamente )?(?:principiante|novato|"
            r"novata|"
            r"nuevo en|nueva en)|(?:como|nivel|soy) principiante|principiante (?:total|absolut[oa]|en)|"
            r"desde cero|de cero|desde 0|no se nada|no tengo (?:ningun |ninguna |mucha |mucho )?"
            r"(?:conocimiento|conocimientos|experiencia|idea|nocion|nociones|base|bases)|nunca he "
            r"(?:programado|usado|estudiado|trabajado con|tocado)|sin experiencia|sin conocimientos|"
            r"nivel (?:basico|cero|nulo)|apenas (?:estoy empezando|empiezo|comienzo)|"
            r"no soy (?:bueno|buena) con|nada de nada|soy negad[oa])(?= |$)"
        ),
    ),
    (
        Level.INTERMEDIO.value,
        re.compile(
            r"(?:^| )(?:ya se (?:algo|un poco|lo basico|bastante)|se (?:algo|un poco|lo basico) de|"
            r"(?:tengo |mi |un |con )?nivel (?:es )?intermedio|soy (?:de nivel )?intermedi[oa]|"
            r"tengo (?:algunas |ciertas )?(?:nociones|bases)|manejo lo basico|conozco lo basico|he usado|"
            r"algo de experiencia|un poco de experiencia|poca experiencia|he hecho (?:algunos|"
            r"un par de) cursos|"
            r"me defiendo)(?= |$)"
        ),
    ),
    (
        Level.AVANZADO.value,
        re.compile(
            r"(?:^| )(?:(?<!no )tengo (?:mucha |bastante |amplia |\d+ a[nñ]os de |varios a[nñ]os de |"
            r"a[nñ]os de )?"
            r"experiencia|(?:tengo |mi |un |con )?nivel (?:es )?avanzado|soy (?:de nivel )?avanzad[oa]|"
            r"conocimientos avanzados|soy experto|soy experta|soy senior|domino|manejo (?:muy )?bien|"
            r"trabajo como (?:data scientist|cientifico de datos|cientifica de datos|desarrollador|"
            r"desarrolladora|"
            r"programador|programadora|ingeniero de datos|ingeniera de datos|data engineer|ml engineer)|"
            r"soy (?:data scientist|cientifico de datos|cientifica de datos|ingeniero de datos|"
            r"ingeniera de datos|"
            r"desarrollador senior|programador senior))(?= |$)"
        ),
    ),
)


@dataclass(frozen=True)
class _Clause:
    """One clause of the message: normalised words with their original spelling alongside."""

    words: tuple[str, ...]
    originals: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def word_index(self, char_offset: int) -> int:
        """Index of the word that starts at or after a character offset of `text`."""
        return len(self.text[:char_offset].split())


_CLAUSE_BREAK = re.compile(r"[.,;:!?¿¡\n()\"“”]+")
# "Ing. Roberto Salinas": the full stop of a title does not end the clause.
_TITLE_DOT = re.compile(r"\b(ing|lic|dr|dra|sr|sra|srta|prof|mtro|mtra|arq|lcdo|lcda)\.", re.IGNORECASE)
_TITLES = frozenset(
    {
        "ing",
        "lic",
        "dr",
        "dra",
        "sr",
        "sra",
        "srta",
        "prof",
        "mtro",
        "mtra",
        "arq",
        "lcdo",
        "lcda",
        "don",
        "doña",
        "dona",
        "ingeniero",
        "ingeniera",
        "licenciado",
        "licenciada",
        "doctor",
        "doctora",
    }
)
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")


def _clauses(text: str) -> list[_Clause]:
    clauses = []
    for part in _CLAUSE_BREAK.split(_TITLE_DOT.sub(r"\1", text)):
        pairs = [(normalize(word), word) for word in _WORD.findall(part)]
        pairs = [(norm, original) for norm, original in pairs if norm and " " not in norm]
        if pairs:
            clauses.append(_Clause(tuple(n for n, _ in pairs), tuple(o for _, o in pairs)))
    return clauses


# ---------------------------------------------------------------------------------
# Name
# ---------------------------------------------------------------------------------


def _role_words() -> frozenset[str]:
    return frozenset(word for synonyms in ROLE_SYNONYMS.values() for phrase in synonyms for word in phrase.split())


_ROLE_WORDS = _role_words()


def _is_name_word(word: str, original: str) -> bool:
    """A plausible given name or surname: letters only, not a known non-name word."""
    return (
        original.isalpha()
        and len(word) >= 2
        and word not in _NOT_NAMES
        and word not in _ROLE_WORDS
        and not any(ch.isdigit() for ch in original)
    )


def _capitalise(original: str) -> str:
    return original[:1].upper() + original[1:].lower()


def _name_after(clause: _Clause, start: int) -> str | None:
    while start < len(clause.words) - 1 and clause.words[start] in _TITLES:
        start += 1  # "mi nombre es Ing. Roberto Salinas"
    words = []
    for word, original in zip(clause.words[start:], clause.originals[start:], strict=True):
        if len(words) == MAX_NAME_WORDS or not _is_name_word(word, original):
            break
        words.append(_capitalise(original))
    return " ".join(words) or None


def _extract_name(clauses: list[_Clause]) -> str | None:
    for clause in clauses:
        for match in _NAME_LEADS.finditer(clause.text):
            start = clause.word_index(match.end())
            if start >= len(clause.words):
                continue
            lead = match.group("lead")
            previous = clause.text[: match.start("lead")].split()[-1:]
            if lead == "soy" and previous and previous[0] in {"les", "te", "le", "lo", "la"}:
                continue  # "les soy sincera" is not an introduction
            # "soy", "aquí" and "habla" are followed by many things that are not names:
            # only accept a word the writer capitalised, or after "soy" a short lower-case
            # run that ends the clause or is followed by "y", "de"... ("soy carolina y...").
            if lead not in _STRONG_NAME_LEADS and not _looks_like_name_start(clause, start, lead):
                continue
            name = _name_after(clause, start)
            if name:
                return name
    return None


_AFTER_NAME = frozenset(
    {
        "y",
        "e",
        "de",
        "desde",
        "del",
        "tengo",
        "soy",
        "estoy",
        "quiero",
        "me",
        "mi",
        "trabajo",
        "vivo",
        "les",
        "te",
        "con",
        "pero",
        "que",
    }
)


def _looks_like_name_start(clause: _Clause, start: int, lead: str) -> bool:
    """Capitalised by the writer, or (after "soy") a short lower-case run ending the clause."""
    original = clause.originals[start]
    if original[:1].isupper() and not original.isupper():
        return True
    if lead != "soy":
        return False
    end = start
    while (
        end < len(clause.words)
        and end - start < MAX_NAME_WORDS
        and _is_name_word(clause.words[end], clause.originals[end])
    ):
        end += 1
    return end > start and (end == len(clause.words) or clause.words[end] in _AFTER_NAME)


# ---------------------------------------------------------------------------------
# Role
# ---------------------------------------------------------------------------------


def _role_pattern() -> re.Pattern[str]:
    phrases = {phrase: role for role, synonyms in ROLE_SYNONYMS.items() for phrase in synonyms}
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?:^| )(?:{_ROLE_LEADS}) (?:un |una |el |la )?(?P<role>{alternatives})(?= |$)")


def _field_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in sorted(FIELD_ROLES, key=len, reverse=True))
    return re.compile(
        rf"(?:^| )(?:{_FIELD_LEADS}) (?:la |el |lo |un |una )?(?:area de )?(?P<field>{alternatives})(?= |$)"
    )


_ROLE_RE = _role_pattern()
_FIELD_RE = _field_pattern()
# "estudio derecho", "ahora estoy estudiando en la uni" (but not "material de estudio").
_STUDENT_RE = re.compile(
    r"(?:^|yo |tambien |actualmente |ahora |y |pero )(?:estudio|estoy estudiando|estoy cursando) "
    r"(?:la carrera de |el |la |en la |en el )?(?!de noche|de dia|por las|gratis|algo|un poco)\w+"
)
_PHRASE_TO_ROLE = {phrase: role for role, synonyms in ROLE_SYNONYMS.items() for phrase in synonyms}


def _extract_role(clauses: list[_Clause]) -> str | None:
    for clause in clauses:
        text = clause.text
        if text in _PHRASE_TO_ROLE:
            return _PHRASE_TO_ROLE[text]  # "Soy Ana, contadora": the role alone as a clause
        match = _ROLE_RE.search(text)
        if match:
            return _PHRASE_TO_ROLE[match.group("role")]
        field = _FIELD_RE.search(text)
        if field:
            return FIELD_ROLES[field.group("field")]
        if _BUSINESS_OWNER.search(text):
            return "emprendedor"
        if _STUDENT_RE.search(text) and "quiero" not in text.split():
            return "estudiante"
    return None


# ---------------------------------------------------------------------------------
# Pain points and level
# ---------------------------------------------------------------------------------


def _trim_object(phrase: str) -> str:
    """The task itself, without trailing clauses: "reportes en excel y me aburro" -> "reportes en excel"."""
    words = _OBJECT_STOP.split(f" {phrase} ", maxsplit=1)[0].split()[:MAX_OBJECT_WORDS]
    while words and words[-1] in _TRAILING_FUNCTION_WORDS:
        words.pop()
    return " ".join(words)


def _fill(template: str, values: dict[str, str]) -> str:
    """Templates read "pierde tiempo en X" unless X starts with a gerund ("haciendo reportes")."""
    task = values.get("object", "")
    if template.startswith("pierde tiempo") and not _GERUND.match(task.split()[0] if task else ""):
        template = template.replace("{object}", "en {object}")
    if template.startswith("tarda mucho") and not _GERUND.match(task.split()[0] if task else ""):
        template = template.replace("{object}", "en {object}")
    return template.format(**values)


def _original_words(clause: _Clause, match: re.Match[str], group: str, count: int) -> str:
    """The matched words as the person wrote them (accents kept), lower-cased."""
    start = clause.word_index(match.start(group))
    return " ".join(word.lower() for word in clause.originals[start : start + count])


def _extract_pain_points(clauses: list[_Clause]) -> tuple[str, ...]:
    found: list[str] = []
    for clause in clauses:
        for pattern, template in _PAIN_PATTERNS:
            match = pattern.search(clause.text)
            if not match:
                continue
            values = {key: value for key, value in match.groupdict().items() if value}
            if "object" in values:
                trimmed = _trim_object(values["object"])
                values["object"] = _original_words(clause, match, "object", len(trimmed.split())) if trimmed else ""
            if "object" in pattern.groupindex and not values.get("object"):
                continue
            phrase = _fill(template, values)
            if phrase not in found:
                found.append(phrase)
    return tuple(found[:MAX_PAIN_POINTS])


def _extract_level(clauses: list[_Clause]) -> str | None:
    for level, pattern in _LEVEL_PATTERNS:
        if any(pattern.search(clause.text) for clause in clauses):
            return level
    return None


class RuleProfileExtractor:
    """Learns name, role, interests, pain points and level from one message."""

    def extract(self, text: str) -> ProfileUpdate:
        clauses = _clauses(text)
        if not clauses:
            return ProfileUpdate()
        return ProfileUpdate(
            name=_extract_name(clauses),
            role=_extract_role(clauses),
            interests=tuple(extract_topics(text)),
            pain_points=_extract_pain_points(clauses),
            level=_extract_level(clauses),
        )
