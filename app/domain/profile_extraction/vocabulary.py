"""The words and phrases the profile extractor recognises, in normalised Spanish.

Kept apart from the extraction logic so the vocabulary can grow without touching it. Every
pattern here is written for normalised text (see app.domain.text.normalize).
"""

from __future__ import annotations

import re

from app.domain.courses import Level
from app.domain.text import normalize


def _word_set(words: str) -> frozenset[str]:
    """A whitespace-separated word list written as a block of text, as a set."""
    return frozenset(words.split())


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
BUSINESS_OWNER = re.compile(
    r"(?:^| )(?:tengo|tenemos|manejo|administro|abri|estoy montando|soy dueño de|soy dueña de|soy dueno de|"
    r"soy duena de) (?:un |una |mi |propio |propia |"
    r"pequeño |pequeña |pequeno |pequena )*(?:tienda|negocio|negocito|emprendimiento|empresa|pyme|"
    r"restaurante|"
    r"cafeteria|local|consultorio|despacho|agencia|ecommerce|e commerce|tiendita|startup|changarro|marca)"
    r"(?: |$)"
)
ROLE_LEADS = (
    r"soy|trabajo como|trabajo de|laboro como|me desempeño como|ejerzo como|mi profesion es|de profesion|"
    r"me dedico a ser|estoy trabajando como|actualmente soy|yo soy|soy un|soy una|trabajo como un|"
    r"trabajo como una"
)
FIELD_LEADS = r"trabajo en|me dedico a|me dedico al|laboro en|estoy en el area de|trabajo en el area de|soy del area de"


# Words that can follow "soy" / "me llamo" and are not a name.
NOT_NAMES: frozenset[str] = _word_set(
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
NAME_LEADS = re.compile(
    r"(?:^| )(?P<lead>me llamo|mi nombre es|mi nombre|soy|habla|aqui|aca|les escribe|te escribe|les saluda|"
    r"te saluda|les habla|te habla|mi nombre completo es)(?= )"
)
# After these leads the next word is a name unless it is plainly not one; after "soy",
# "aqui" or "habla" the word must also not be a role or a place.
STRONG_NAME_LEADS = frozenset({"me llamo", "mi nombre es", "mi nombre", "mi nombre completo es"})

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
PAIN_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
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
OBJECT_STOP = re.compile(
    r" (?:y|pero|porque|que|entonces|asi que|osea|o sea|cada|todos|todas|todo|por|para|cuando|ya que|pues|"
    r"a mano|manualmente|me|nos|es|son) "
)
TRAILING_FUNCTION_WORDS = frozenset({"de", "del", "la", "las", "el", "los", "en", "a", "al", "con", "y", "un", "una"})
GERUND = re.compile(r"^\w+(?:ando|iendo|yendo)$")

LEVEL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
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

# Titles skipped before a name: "mi nombre es Ing. Roberto Salinas".
TITLES = frozenset(
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

# What can follow a lower-case name after "soy" ("soy carolina y ..."), so the run ends there.
AFTER_NAME = frozenset(
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

# "estudio derecho", "ahora estoy estudiando en la uni" (but not "material de estudio").
STUDENT_PATTERN = re.compile(
    r"(?:^|yo |tambien |actualmente |ahora |y |pero )(?:estudio|estoy estudiando|estoy cursando) "
    r"(?:la carrera de |el |la |en la |en el )?(?!de noche|de dia|por las|gratis|algo|un poco)\w+"
)

# What a role works on, for recommendations, where the topic vocabulary does not already name
# the role ("contador" is a finanzas word, "psicologo" is no topic's word). The other roles'
# topics come from their synonyms (see app.domain.recommendations.role_topics).
ROLE_TOPICS: dict[str, tuple[str, ...]] = {
    "diseñador": ("contenido",),
    "periodista": ("contenido",),
    "fotógrafo": ("contenido",),
    "escritor": ("contenido",),
    "influencer": ("contenido", "marketing"),
    "youtuber": ("contenido",),
    "creador": ("contenido",),
    "administrativo": ("productividad", "excel"),
    "asistente": ("productividad",),
    "reclutador": ("recursos humanos",),
    "psicólogo": ("salud",),
    "nutricionista": ("salud",),
    "nutriólogo": ("salud",),
    "dentista": ("salud",),
    "odontólogo": ("salud",),
    "fisioterapeuta": ("salud",),
    "terapeuta": ("salud",),
    "farmacéutico": ("salud",),
    "economista": ("finanzas",),
    "cajero": ("finanzas",),
    "científico de datos": ("ciencia de datos", "machine learning"),
}
# Roles whose work is the technical subject itself: without a stated level they are not
# beginners, so "desde cero" courses are not what to offer them first.
ROLE_LEVELS: dict[str, Level] = {
    "desarrollador": Level.AVANZADO,
    "científico de datos": Level.AVANZADO,
    "analista": Level.INTERMEDIO,
}
# Topics that are a trade rather than a skill: a course named for one ("IA para Abogados") is
# for the people in it, and not for someone whose trade is another.
SECTOR_TOPICS: frozenset[str] = frozenset(
    {"educación", "salud", "legal", "finanzas", "recursos humanos", "ventas", "marketing", "emprendimiento"}
)
