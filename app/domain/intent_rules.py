"""Rule-based intent classification for WhatsApp messages, without any network call.

The classifier works in three steps:

1. Canonicalise: emoji become words, the text is normalised (see text.normalize),
   WhatsApp abbreviations are expanded ("q" -> "que", "xq" -> "porque") and misspelt
   words are corrected towards the vocabulary the rules use ("kiero" -> "quiero",
   "inscrivirme" -> "inscribirme"). Rules are then written once, in correct Spanish.
2. Score: every rule that matches adds evidence for one intent with a weight that says
   how unambiguous that cue is (0.9 for "quiero inscribirme", 0.5 for a bare topic).
3. Resolve: among the strong candidates the most specific, most actionable intent wins
   (an opt-out beats everything, an objection beats the question it comes with, a
   greeting only wins when nothing else was said). When no rule is sure of anything,
   indicative single words vote (KEYWORD_HINTS), always below ASK_AI_BELOW.

The confidence is the winning evidence, lowered for mixed messages: >= STRONG (0.75)
means a clear cue matched, below ASK_AI_BELOW (0.6) means the rules only guessed and the
pipeline should ask an AI; OFF_TOPIC at FALLBACK_CONFIDENCE (0.3) means nothing matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from app.domain.intents import Intent, IntentResult
from app.domain.text import has_letters_or_digits, normalize
from app.domain.topics import TOPIC_SYNONYMS, extract_topics

# Below this confidence the rules only guessed: the pipeline should ask the AI.
ASK_AI_BELOW = 0.6
# Evidence at or above this weight counts as a clear cue; clear cues are arbitrated by
# priority instead of by weight, because weights of different intents are not comparable.
STRONG = 0.75
FALLBACK_CONFIDENCE = 0.3
EMOJI_ONLY_CONFIDENCE = 0.2

# Word gaps between two cue words: "quiero (ya mismo) inscribirme".
G1 = r"(?:\S+ )?"
G2 = r"(?:\S+ ){0,2}"
G3 = r"(?:\S+ ){0,3}"

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

# ---------------------------------------------------------------------------------
# Canonicalisation vocabulary
# ---------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    """A whitespace-separated word list written as a block of text, as a set."""
    return frozenset(words.split())


# Emoji carry meaning in WhatsApp; they are replaced by a word before normalising.
EMOJI_WORDS: dict[str, str] = {
    "👋": "hola",
    "🙋": "hola",
    "🖐": "hola",
    "✋": "hola",
    "🤚": "hola",
    "💰": "precio",
    "💵": "precio",
    "💲": "precio",
    "🤑": "precio",
    "💸": "precio",
    "💳": "tarjeta",
    "📞": "llamada",
    "☎": "llamada",
    "📲": "llamada",
    "🛑": "stop",
    "⛔": "stop",
    "🚫": "stop",
    "⏰": "tiempo",
    "⏳": "tiempo",
    "⌛": "tiempo",
    "🤖": "bot",
    "🙏": "por favor",
    "👍": "ok",
}
WAVE_EMOJI: frozenset[str] = frozenset({"👋", "🙋", "🖐", "✋", "🤚"})

# WhatsApp shorthand, expanded before anything else. Single letters are only expanded
# here, never fuzzily, because "q", "x" or "d" mean nothing else in a chat.
ABBREVIATIONS: dict[str, str] = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "pq": "porque",
    "pk": "porque",
    "xk": "porque",
    "porq": "porque",
    "porke": "porque",
    "xke": "porque",
    "x": "por",
    "d": "de",
    "c": "se",
    "tmb": "tambien",
    "tmbn": "tambien",
    "tb": "tambien",
    "tbn": "tambien",
    "tambn": "tambien",
    "porfa": "por favor",
    "porfis": "por favor",
    "porfi": "por favor",
    "xfa": "por favor",
    "xfavor": "por favor",
    "plis": "por favor",
    "pliss": "por favor",
    "pls": "por favor",
    "plz": "por favor",
    "info": "informacion",
    "inf": "informacion",
    "infor": "informacion",
    "cto": "cuanto",
    "qto": "cuanto",
    "cnto": "cuanto",
    "qnto": "cuanto",
    "kto": "cuanto",
    "xa": "para",
    "pa": "para",
    "dnd": "donde",
    "dnde": "donde",
    "cdo": "cuando",
    "bn": "bien",
    "msj": "mensaje",
    "mje": "mensaje",
    "msg": "mensaje",
    "msjs": "mensajes",
    "mjs": "mensajes",
    "msgs": "mensajes",
    "mensajitos": "mensajes",
    "tel": "telefono",
    "cel": "celular",
    "num": "numero",
    "nro": "numero",
    "wsp": "whatsapp",
    "wpp": "whatsapp",
    "whats": "whatsapp",
    "wasap": "whatsapp",
    "guasap": "whatsapp",
    "watsap": "whatsapp",
    "ola": "hola",
    "buens": "buenas",
    "bns": "buenas",
    "holi": "hola",
    "holis": "hola",
    "holas": "hola",
    "hla": "hola",
    "hol": "hola",
    "bnas": "buenas",
    "wenas": "buenas",
    "wena": "buenas",
    "buenass": "buenas",
    "bnos": "buenos",
    "bno": "bueno",
    "weno": "bueno",
    "grax": "gracias",
    "graxias": "gracias",
    "grasias": "gracias",
    "slds": "saludos",
    "salu2": "saludos",
    "aki": "aqui",
    "nd": "nada",
    "sq": "es que",
    "tons": "entonces",
    "ps": "pues",
    "vdd": "verdad",
    "dsd": "desde",
    "ud": "usted",
    "uds": "ustedes",
    "toy": "estoy",
    "tas": "estas",
    "ta": "esta",
    "sta": "esta",
    "tngo": "tengo",
    "tmpo": "tiempo",
    "hrs": "horas",
    "hr": "horas",
    "hs": "horas",
    "dcto": "descuento",
    "dscto": "descuento",
    "desc": "descuento",
    "compu": "computadora",
    "lap": "laptop",
    "profe": "profesor",
    "profes": "profesores",
    "finde": "fin de semana",
    "okey": "ok",
    "oki": "ok",
    "okis": "ok",
    "okas": "ok",
    "nel": "no",
    "nop": "no",
    "nopo": "no",
    "sip": "si",
    "kiero": "quiero",
    "qiero": "quiero",
    "kisiera": "quisiera",
    "kien": "quien",
    "cuant": "cuanto",
    "cuantoo": "cuanto",
    "xfis": "por favor",
    "porfavor": "por favor",
    "ntp": "no te preocupes",
    "m": "me",
    "t": "te",
    "tqm": "te quiero mucho",
    "ai": "ia",
    "tkm": "te quiero mucho",
    "insc": "inscripcion",
}

# Frequent words that must never be "corrected" into a keyword they resemble
# (carro -> caro, boca -> beca, claro -> caro...).
COMMON_WORDS: frozenset[str] = _word_set(
    """
    a al algo alguien algun alguna alguno algunos ahi ahora aqui aca asi aun aunque ano anos
    antes bien bueno buena buenos buenas cada casa caso cosa cosas como con contra cual cuales
    cuando de del desde donde dos el ella ellos en entre era eres es esa ese eso esta este esto
    estos estas estan estoy fue fueron gran hace hacer hay hasta la las le les lo los luego mas
    me mi mis mucho mucha muchos muchas muy nada ni no nos nosotros nuestro o otra otro otros
    para pero poco por porque pues que quien se sea ser si sido sin sobre solo son su sus tal
    tambien tan tanto te tener tengo tiene tienen todo todos tu tus un una uno unos unas usted
    ustedes va vamos ver vez y ya yo vos carro carros perro perros claro claros cargo cargos
    cara caras cuarto cuartos cuesta cuestan curso cursos clase clases dia dias hora horas mes
    meses semana semanas tarde tardes noche noches manana mananas gente persona personas hijo
    hijos hija hijas mama papa familia trabajo trabajos trabajar trabaja trabajan empresa negocio
    dinero plata pago pagos pagar precio precios costo valor gracias hola favor ok bien mal mejor
    peor nuevo nueva nuevos viejo vieja tengo tenia tuve quiero quiere queria quisiera puedo puede
    pueden podria debo debe necesito necesita sabe saber se sabia conozco conocer voy vas van
    hago hace hacen hice dijo digo dice dicen pongo pone puse tomo toma tome tomar llevo lleva
    paso pasa pase pasar sigo sigue seguir vengo viene venir salgo sale salir quedo queda quedar
    creo cree pienso piensa siento siente veo ve vi mira miro busco busca encuentro encontrar
    sirve sirven usar uso uno dos tres cuatro cinco seis siete ocho nueve diez cien mil primer
    primero primera segundo ultimo ultima bajo baja bajos alto alta altos largo larga corto corta
    mismo misma mismos otra otras cierto verdad mentira tema temas vida mundo pais ciudad lugar
    parte partes forma formas manera tipo tipos grupo grupos nivel niveles idea ideas cambio
    cambios punto puntos problema problemas pregunta preguntas respuesta respuestas cuenta cuentas
    numero numeros mensaje mensajes correo correos redes red empresa empresas area areas
    estudio estudios estudiante estudiantes carrera carreras universidad escuela colegio profesor
    profesora maestro maestra tarea tareas examen examenes libro libros juego juegos partido
    partidos equipo equipos comida agua cafe ropa zapatos casa coche auto autos bus calle
    boca beca becas gato gatos gata pelo pera pena pesa pesos peso sol soles dolar dolares
    euros euro lucas cama come comer bebe beber duro dura puro pura caro cara raro rara paro
    pare mano manos chamba chambear pega curro laburo lana pasta guita feria varo pisto
    carnal carnala mijo mija chamo compadre comadre viejo loco loca nene nena chavo chava
    ahorita nomas orale chido padre padrisimo che vale tio tia parce parcero bacan bacano pana
    chevere guay mola chamo wey guey mae weon huevon boludo boluda pibe piba cuate compa bro
    listo lista dale genial perfecto excelente entendido claro obvio seguro vale okay sale
    gusto placer saludos saludo cordial atentamente espero encuentren encuentres andas andan
    todavia siempre nunca jamas tampoco quizas talvez tal vez despues mientras durante segun
    hoy ayer antier semana fin finde mensual anual diario diaria semanal
    premio premios premium regalo medio medios menos mayor menor mejor junto juntos junta nunca
    noticia noticias opinion opinas opina color favorito favorita revolucion historia resumen
    banco bancos tienda tiendas mercado oficina oficinas jefe jefa jefes cliente clientes socio socia
    hermano hermana primo prima abuelo abuela esposo esposa novio novia amor amiga amigo vecino vecina
    pasado pasada proximo proxima siguiente anterior mientras entonces ademas incluso apenas casi
    quiza quizas ojala igual iguales distinto distinta diferente diferentes mismo facil dificil
    rapido rapida lento lenta grande grandes pequeno pequena chico chica chicos chicas joven jovenes
    ciudad pueblo estado provincia region zona barrio colonia calle avenida casa hogar cuarto
    computadora telefono celular tablet internet pagina paginas web sitio link foto fotos video videos
    audio audios llamar llamo llame escribir escribo escribe leer leo lee decir digo dice hablar hablo
    entender entiendo explicar explico ayudar ayudo ayuda ayudame necesitar mandar mando enviar envio
    recibir recibo recibi contestar contesto responder respondo preguntar pregunto pregunte
    comprar compro compre vender vendo vendi cobrar cobro cobre ganar gano gane perder pierdo perdi
    empezar empiezo empece terminar termino termine seguir sigo segui volver vuelvo volvi
    abrir abro cerrar cierro cierre cierres mover muevo mueve cambiar cambio cambie entrar entro
    salud medico medica doctor doctora hospital enfermera enfermero abogado abogada contador contadora
    ingeniero ingeniera arquitecto arquitecta maestro maestra profesor profesora chef cocinero mesero
    cajero cajera recepcionista secretaria vendedor vendedora chofer policia militar psicologo psicologa
    diseno disenador disenadora arte musica deporte deportes gym gimnasio futbol basquet
    comida cena almuerzo desayuno pastel pastelito chocolate cafe te agua leche pan carne pollo
    dios bendiga bendiciones feliz navidad ano nuevo cumple fiesta boda viaje viajes vacaciones
    gripe fiebre tos dolor cabeza enfermo enferma hijos esposa papa mama padres hermanos
    examen examenes uni universidad colegio prepa secundaria primaria bachillerato tesis titulo
    presidente gobierno pais paises mexico colombia argentina chile peru espana ecuador venezuela
    bolivia uruguay paraguay guatemala honduras salvador nicaragua panama cuba dominicana rica
    bogota lima quito caracas santiago monterrey guadalajara medellin cali madrid barcelona buenos aires
    aborto politica religion iglesia guerra paz justicia ley leyes derecho derechos
    fui fue fuimos fueron iba iban soy eres somos sois estas estoy hay hubo habia sea seas vaya vayan
    mil millon millones cientos docena par pares medio mitad doble triple total
    interesa interesan interesante gustaria encantaria gusta gustan gusto
    estaba estamos estuve estar estado estados hecho hecha hechos dicho dicha
    """
)

# Full word forms of stems that rules match with a wildcard ("inscrib\\w*"), so that
# misspellings of them can still be corrected.
EXTRA_VOCABULARY: frozenset[str] = _word_set(
    """
    inscribirme inscribir inscripcion inscripciones inscribo inscribete matricularme matricula
    registrarme registro anotarme apuntarme recomiendan recomiendas recomienda recomendacion
    recomendaciones recomendarme certificado certificados certificacion diploma horario horarios
    requisitos requisito profesores profesor presencial virtual grabadas grabados grabaciones
    descuento descuentos promocion promociones becas beca gratuito gratuita gratuitos gratuitas
    webinar webinars automatizar automatizacion automaticamente reinventarme reconvertirme
    desempleado desempleada ocupado ocupada ocupadisimo ocupadisima asesor asesora asesores
    asesoria informacion duracion mensualidades financiamiento transferencia tarjeta inteligencia
    artificial programacion recomiendes interesado interesada capacitacion capacitarme temario
    contenido modalidad escribirme enviarme mandarme molestar molestarme llamame llamenme
    contactarme comuniquen comuniquense disponibles disponible cuotas costoso costosa carisimo
    tiempo repetitivas repetitivos manualmente reportes informes facturas clientes negocio
    profesion trabajar dedicarme cambiar pasarme exactamente aprender estudiar quisiera
    quiero quieres gustaria cuanto cuesta cuestan precio buenas buenos tardes noches saludos
    whatsapp telefono celular numero llamada videollamada humano persona asesoramiento
    """
)

_LAUGH = re.compile(r"^(?:[jh][aeiou]){2,}[jh]?$|^(?:js)+j?$|^x+d+$")
_HAS_DIGIT = re.compile(r"\d")
_DOUBLED = re.compile(r"([a-z])\1+")


def _phonetic_key(word: str) -> str:
    """Collapse the spellings Spanish writers confuse (c/s/z, b/v, k/qu, ll/y, h)."""
    key = word.replace("ch", "1")  # "ch" is its own sound; protect it from the c and h rules
    key = re.sub(r"g(?=[ei])", "j", key)
    key = re.sub(r"gu(?=[ei])", "g", key)
    key = re.sub(r"qu(?=[ei])", "k", key)
    key = re.sub(r"c(?=[ei])", "s", key)
    key = key.replace("ll", "y").replace("c", "k").replace("q", "k").replace("z", "s")
    key = key.replace("v", "b").replace("h", "").replace("1", "ch")
    key = re.sub(r"y(?=[^aeiou]|$)", "i", key)
    return re.sub(r"(.)\1+", r"\1", key)


_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm")
_ROW_OFFSETS = (0.0, 0.25, 0.75)
_KEY_POSITIONS: dict[str, tuple[float, float]] = {
    char: (row + 0.0, column + _ROW_OFFSETS[row])
    for row, letters in enumerate(_KEYBOARD_ROWS)
    for column, char in enumerate(letters)
}
# Letters Spanish writers swap because they sound alike.
_SOUND_ALIKE: frozenset[frozenset[str]] = frozenset(
    frozenset(pair) for pair in ("bv", "sz", "sc", "cz", "kc", "qk", "qc", "yi", "jg", "ly", "hg", "xs", "ie", "ou")
)


def _plausible_substitution(typed: str, intended: str) -> bool:
    """A wrong letter is a typo only if it sits next to the right one or sounds like it."""
    if frozenset((typed, intended)) in _SOUND_ALIKE:
        return True
    if typed not in _KEY_POSITIONS or intended not in _KEY_POSITIONS:
        return False
    (row_a, col_a), (row_b, col_b) = _KEY_POSITIONS[typed], _KEY_POSITIONS[intended]
    return abs(row_a - row_b) <= 1 and abs(col_a - col_b) <= 1.3


def _plausible_typo(token: str, word: str) -> bool:
    """ "premio" is not a typo of "precio": m and c are far apart on the keyboard."""
    for op in Levenshtein.editops(token, word):
        if op.tag == "replace" and not _plausible_substitution(token[op.src_pos], word[op.dest_pos]):
            return False
    return True


def _max_typos(key: str) -> int:
    """Short words are too easy to confuse: only long ones get more than one typo."""
    if len(key) >= 9:
        return 2
    if len(key) >= 5:
        return 1
    return 0


class SpellingCorrector:
    """Maps an unknown word to the vocabulary word it most plausibly misspells.

    Only corrects when the answer is unique, the first sound agrees and the lengths are
    close: a wrong correction is worse than none, because it can fire a rule. Protected
    words (frequent Spanish) are never changed, and a word as close to a protected word
    as to a keyword is left alone.
    """

    def __init__(self, vocabulary: Iterable[str], protected: Iterable[str], stems: Iterable[str] = ()) -> None:
        vocabulary = list(vocabulary)
        protected = list(protected)
        self._known: frozenset[str] = frozenset(vocabulary) | frozenset(protected)
        self._stems: tuple[str, ...] = tuple(sorted(stems, key=len, reverse=True))
        self._vocabulary: frozenset[str] = frozenset(vocabulary)
        self._by_key: dict[str, str] = {}
        for word in [*vocabulary, *protected]:
            self._by_key.setdefault(_phonetic_key(word), word)
        self._keys_by_initial: dict[str, list[str]] = {}
        for key in self._by_key:
            if key:
                self._keys_by_initial.setdefault(key[0], []).append(key)

    def correct(self, token: str) -> str:
        if token in self._known or _HAS_DIGIT.search(token) or token.startswith(self._stems):
            return token
        squeezed = _DOUBLED.sub(r"\1", token)
        if squeezed in self._known:
            return squeezed  # "holaa", "graciass", "buenass"
        key = _phonetic_key(token)
        if key in self._by_key and len(token) >= 4:  # "fui" is not "full": short words are left alone
            return self._by_key[key]
        return self._fuzzy(token, key)

    def _fuzzy(self, token: str, key: str) -> str:
        limit = _max_typos(key)
        if limit == 0 or not key:
            return token
        candidates = [
            k for k in self._keys_by_initial.get(key[0], []) if len(k) >= 4 and abs(len(k) - len(key)) <= limit
        ]
        matches = process.extract(key, candidates, scorer=OSA.distance, score_cutoff=limit, limit=5)
        if not matches:
            return token
        best = min(distance for _, distance, _ in matches)
        closest = [(k, self._by_key[k]) for k, distance, _ in matches if distance == best]
        words = {word for _, word in closest}
        if len(words) != 1:
            return token  # two different words equally close: guessing would be a coin toss
        matched_key, word = closest[0]
        if word not in self._vocabulary:
            return token  # closest to an ordinary word: nothing a rule cares about
        if best == 2 and matched_key[-1] != key[-1]:
            return token  # two edits and a different ending is usually another word form
        return word if _plausible_typo(token, word) else token


# ---------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    name: str
    intent: Intent
    weight: float
    pattern: re.Pattern[str]


def _compile(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    """Alternatives matched as whole words of the canonical text."""
    body = "|".join(alternatives)
    return re.compile(rf"(?<![a-z0-9ñ$%#+])(?:{body})(?![a-z0-9ñ])")


# Reused vocabularies.
_TECH_FIELD = (
    r"(?:datos|data|tecnologia|tech|programacion|programar|ia|inteligencia artificial|sistemas|desarrollo|it|"
    r"ti|"
    r"computacion|computadoras|computadora|codigo|tecnologic\w*|informatic\w*|digitales|"
    r"software|analisis de datos|analitica|ciencia de datos|machine learning|informatica|digital|"
    r"ciberseguridad|cloud|ux|marketing digital|automatizacion|python|desarrollo web|web|"
    r"programador\w*|desarrollador\w*|analista\w*|cientific\w* de datos|ingenier\w* de datos|data \w+)"
)
_MONEY = (
    r"(?:dinero|plata|lana|pasta|guita|presupuesto|money|billete|varo|feria|pisto|fondos|recursos|"
    r"lucas|cash|capital|un peso|un duro|un centavo|un sol|un mango|un quinto|un peso partido|un clavo)"
)
_JOB = r"(?:trabajo|empleo|chamba|laburo|pega|curro|chambita|jale)"
_HUMAN = (
    r"(?:asesor\w*|persona|humano|humana|agente|ejecutiv\w*|vendedor\w*|alguien|representante|"
    r"encargad\w*|responsable|coordinador\w*|operador\w*|director\w*|gente|ser humano|especialista|"
    r"consultor\w*|alguien real|una persona real|una persona de verdad)"
)
_PAY_METHOD = (
    r"(?:tarjeta\w*|paypal|transferencia\w*|oxxo|mercado pago|mercadopago|nequi|daviplata|yape|plin|"
    r"efectivo|deposito|debito|credito|visa|mastercard|bizum|pse|spei|zelle|cripto\w*|bitcoin|stripe|"
    r"usdt|binance|western union|pago movil|sinpe|transbank|webpay|amex)"
)
_TASKS = (
    r"(?:reportes?|informes?|facturas?|planillas?|excel|excels|hojas|cotizaciones|inventarios?|nomina|"
    r"datos|tablas|presupuestos|correos|mails|emails|pedidos|mensajes|publicaciones|posts|citas|"
    r"agenda|contabilidad|cobranza|seguimientos?|tickets|formularios|encuestas|graficas|graficos|"
    r"dashboards?|documentos|contratos|propuestas|respuestas|registros|bases de datos|liquidaciones|"
    r"conciliaciones|asientos|declaraciones|recibos|ordenes|guias|envios|stock|cierres?)"
)
_BUSINESS = (
    r"(?:negocio|empresa|tienda|emprendimiento|pyme|consultorio|despacho|restaurante|oficina|"
    r"area|departamento|clinica|agencia|estudio contable|ferreteria|inmobiliaria|negocito|local|"
    r"tiendita|e commerce|ecommerce|marca|equipo de ventas|pasteleria|panaderia|farmacia|taller|"
    r"hotel|gimnasio|escuela|colegio|academia|startup|changarro|almacen|bodega|veterinaria)"
)
_COURSE = r"(?:cursos?|programas?|diplomados?|talleres|taller|bootcamps?|capacitacion\w*|formacion\w*|clases)"

_RULE_TABLE: tuple[tuple[str, Intent, float, tuple[str, ...]], ...] = (
    # --- OPT_OUT: explicit requests to stop. Negated forms of contact verbs live here.
    (
        "optout_command",
        Intent.OPT_OUT,
        0.97,
        (
            r"^(?:(?:stop|baja|unsubscribe|desuscribir\w*|basta|ya basta|alto|no mas|cancelar|eliminar|borrar|"
            r"basta ya|fuera) ?)+(?: por favor| gracias| ya)?$",
        ),
    ),
    (
        "optout_dont_write",
        Intent.OPT_OUT,
        0.95,
        (
            r"no (?:me |nos )?(?:quiero que (?:me |nos )?|deseo que (?:me |nos )?)?"
            r"(?:vuelvan a |vuelvas a |sigan |sigas |vuelva a )?"
            r"(?:escriban|escribas|escriba|escribir|manden|mandes|mande|envien|envies|envie|contacten|contactes|"
            r"molesten|molestes|moleste|llamen|llames|marquen|spameen|sigan escribiendo|sigan mandando|"
            r"escribais|mandeis|envieis|llameis|molesteis|contacteis|"
            r"contactarme|escribirme|llamarme|molestarme|mandarme|enviarme|buscarme|marcarme|"
            r"sigan enviando|joda|jodan|jodas|llegue|lleguen|lleguen mas|sigan llegando|sigan contactando|"
            r"mandar|enviar|contactar|llamar)",
            r"(?:deseo|quiero|prefiero|pido|solicito) no (?:recibir|seguir recibiendo|ser contactad[oa]|que me)",
            r"no (?:les|te|le) (?:di|he dado|dimos) (?:permiso|autorizacion|mi numero)",
            r"me (?:quiten|saquen|borren|eliminen|remuevan|retiren|den de baja)(?! de dudas| la duda| una duda)",
            r"(?:borrenme|borrame|eliminenme|eliminame|saquenme|quitenme|bajenme|borreme|elimineme)(?! de dudas|"
            r" la duda)",
            rf"(?:deja|dejen|deje|dejes|para|paren|parar|dejar|dejen ya|pare|dejad|parad) de (?:{G1})?(?:escribir\w*|"
            rf"enviar\w*|"
            r"mandar\w*|molestar\w*|spamear\w*|llamar\w*|contactar\w*|insistir|joder|fregar|llegarme|llegarnos|"
            r"llegar (?:sus |tus |los |esos |estos )?(?:mensajes|whatsapps|promociones|correos))",
        ),
    ),
    (
        "optout_no_more",
        Intent.OPT_OUT,
        0.93,
        (
            r"(?:ya )?no (?:quiero|deseo|necesito|me interesa|quisiera) (?:seguir )?(?:recibir|recibiendo|que me "
            r"(?:manden|envien|escriban|lleguen))? ?(?:mas |ningun |ninguna |sus |tus |estos |esos )?"
            r"(?:mensajes?|informacion|publicidad|promociones|notificaciones|correos|spam|promos|avisos|"
            r"whatsapps?|ofertas)",
            r"no quiero (?:recibir )?nada(?: mas)?(?: gracias)?$",
            r"(?:dejar|deje|dejen|deja|quiero dejar|deseo dejar) de recibir",
            r"no (?:quiero|deseo) saber nada",
            r"no mas (?:mensajes|informacion|publicidad|spam|promociones)",
            r"fuera de (?:mi|este|el) (?:whatsapp|chat|numero|telefono|celular|vida|inbox)",
            r"(?:parenle|parale|parenla|basta|ya basta|ya estuvo|suficiente|ya) (?:con|de) (?:los |tantos |sus |"
            r"tus |"
            r"estos |tanto )?(?:mensajes|spam|whatsapps|escribirme|mandarme|molestar|publicidad)",
        ),
    ),
    (
        "optout_unsubscribe",
        Intent.OPT_OUT,
        0.95,
        (
            r"(?:dar|darme|dame|denme|den|de|doy|me doy|quiero darme|puedes darme|pueden darme|darnos|"
            r"denos) de baja",
            r"desuscrib\w*",
            r"unsubscribe",
            r"cancelar (?:mi |la )?suscripcion",
            rf"(?:sacame|saquenme|saqueme|quitame|quitenme|quiteme|borrame|borrenme|borreme|eliminame|eliminenme|"
            rf"bajenme|bajame|bajeme|bajarme|"
            rf"elimineme|sacarme|borrarme|eliminarme|quitarme|salir|salirme|retirenme|retirame|retireme|"
            rf"retirarme) de (?:{G2})?(?:lista\w*|base\w*|"
            rf"grupo\w*|difusion|"
            r"contactos|registros|sistema)",
            r"(?:elimin|borr|quit|sac|retir|remuev|remov|dar de baja)\w* (?:mi|mis) (?:numero|contacto|datos|"
            r"telefono|informacion|celular|"
            r"registro)",
            r"(?:elimin|borr)\w* (?:este|el) (?:numero|contacto|chat)",
        ),
    ),
    (
        "optout_block",
        Intent.OPT_OUT,
        0.85,
        (
            r"(?:los|las|te|lo|la|le) (?:voy a |vamos a )?(?:bloquear|bloqueo|reporto|reportar|denuncio|"
            r"denunciar)",
            r"(?:es|esto es|puro|son) spam",
            r"spam$",
        ),
    ),
    (
        "optout_not_interested",
        Intent.OPT_OUT,
        0.82,
        (
            r"(?:^|que |dije |ya |pero )(?:no|no no|nada|ok|"
            r"ya)? ?(?:gracias )?(?:pero )?(?:ya )?no (?:me )?interesa\w*"
            r"(?: nada| para nada| gracias| ya| mas| por ahora| mucho| bye| chao| chau| adios| saludos|"
            r" bendiciones)*$",
            r"no (?:estoy|estamos) interesad[oa]s?",
            r"ya no me interesa",
            r"no tengo (?:ningun )?interes",
            r"no me interesa (?:nada|para nada|ninguno|ninguna|ningun curso)",
        ),
    ),
    (
        "optout_no_thanks",
        Intent.OPT_OUT,
        0.7,
        (
            r"^no gracias$",
            r"^no,? gracias,? (?:no|ya no)",
        ),
    ),
    # --- CONTACT_REQUEST: wants a person, a call, or a number.
    (
        "contact_human",
        Intent.CONTACT_REQUEST,
        0.92,
        (
            rf"(?:hablar|platicar|conversar|comunicarme|comunicarnos|chatear|contactar|contactarme|contacto|"
            rf"charlar) (?:con |a )(?:un |una |algun |alguna |el |la |otro |otra |su |sus |tu |"
            rf"alguien )?{_HUMAN}",
            rf"(?:me |nos )?(?:puedes |pueden |podrias |podrian |puede |podria |podes )?(?:pasar|comunicar|"
            rf"transferir|"
            rf"conectar|derivar|poner en contacto) con (?:un |una |el |la |algun |alguna |otro |otra )?{_HUMAN}",
            rf"(?:pasame|pasen|paseme|pasarme|comunicame|comuniquenme|transfiereme|transferirme|derivame|"
            rf"derivenme|conectame|conectenme|pasenme|paseme|pasalo|comuniqueme) (?:con |a )(?:un |una |algun |"
            rf"alguna |"
            rf"el |la )?{_HUMAN}",
            r"(?:que|a que|cual|cual es el|hay algun) (?:numero|telefono|celular|whatsapp) (?:\S+ ){0,2}(?:marcar|"
            r"llamar|"
            r"escribir|contactar|comunicarme|marco|llamo)",
            r"con quien (?:puedo|podria|tengo que|debo|me puedo) (?:hablar|comunicarme|contactarme)",
            r"(?:me comunico|hablo|me contacto|me pongo en contacto|escribo|me dirijo) con quien",
            r"con quien (?:me comunico|hablo|me contacto|me pongo en contacto|me dirijo)",
            r"(?:una persona|alguien|un asesor|una asesora|un humano|un agente|un ejecutivo|"
            r"una ejecutiva) (?:que )?"
            r"(?:me |nos )?(?:atienda|asesore|explique|llame|contacte|escriba|responda)",
            r"(?:que|me|puede|pueden|podria|podrian) (?:me )?(?:atienda|atiendan|asesore|asesoren|atender|atenderme)"
            r" (?:\S+ )?(?:persona|alguien|asesor\w*|humano|agente)",
            rf"(?:quiero|necesito|quisiera|prefiero|me gustaria|puedo|podria) (?:{G1})?(?:un |una )?"
            r"(?:asesor\w*|persona real|humano|agente|vendedor\w*|asesoria)",
        ),
    ),
    (
        "contact_call_me",
        Intent.CONTACT_REQUEST,
        0.9,
        (
            r"(?<!no )(?<!sin )(?:llamame|llamenme|llameme|llamarme|marcame|marcarme|llamarnos|contactarnos|"
            r"marquenme|marqueme|telefoneame|"
            r"llamadme|llamanos|llamenos|hablame|hablenme|escribanme al|escribeme al)",
            r"(?<!no )(?:me|nos) (?:pueden |puedes |podrian |podrias |puede |podria |podes |pod[ei]s )?"
            r"(?:llamar|marcar|contactar|telefonear|hacer una llamada)",
            r"(?<!no )me (?:llaman|llamas|llamarian|llamarias|llamaran|llamaras|marcas|marcan|marcarian|hablan|"
            r"hablas|llamais|marcais|llamariais|podeis llamar)",
            r"(?:agend\w*|programar|coordinar|tener|hacer|hacemos|coordinemos) (?:una |un )?"
            r"(?:llamada|cita|reunion|videollamada|llamadita|call|zoom|meet)",
            r"que me (?:llame|llamen|contacte|contacten|marque|marquen|escriba un asesor|hable)",
            r"(?:me contacte\w*|contactarme|contactenme|contacteme|comuniquense conmigo|comuniquese conmigo)",
            r"(?:videollamada|llamada telefonica)",
        ),
    ),
    (
        "contact_call_word",
        Intent.CONTACT_REQUEST,
        0.7,
        (
            r"(?:una |por |en |la )?llamada",
            r"por telefono",
        ),
    ),
    (
        "contact_by_phone",
        Intent.CONTACT_REQUEST,
        0.88,
        (
            r"(?:hablar|hablarlo|hablemos|explicar|explicarme|expliquen|atender|atenderme|contactar|contactarme|"
            r"comunicar|comunicarme|llamar|llamarme|resolver|asesorar|asesorarme|asesoren) (?:\S+ ){0,2}"
            r"(?:por telefono|por llamada|por videollamada|por zoom|en persona|por whatsapp)",
            r"^(?:una )?llamada(?: por favor)?$",
            r"prefiero (?:una |por )?(?:llamada|telefono)",
        ),
    ),
    (
        "contact_number",
        Intent.CONTACT_REQUEST,
        0.86,
        (
            r"(?:me |nos )?(?:pasas|pasan|pasa|das|dan|da|puedes pasar|pueden pasar|podrias pasar|podrian pasar|"
            r"regalas|regalan|compartes|comparten|mandas|mandan|envias|envian|dejas|dejan|facilitas|facilitan|"
            r"pasarias|darias|pasame|dame|denme|pasenme|mandame|enviame) (?:el |un |tu |su |algun |otro |los |"
            r"sus )?"
            r"(?:numero|telefono|celular|contacto|whatsapp|correo|email|mail|tel)(?! de cuenta| de tarjeta|"
            r" de referencia)",
            rf"(?:numero|telefono|celular|whatsapp|correo|email|linea) (?:{G1})?(?:de|del|para|directo) "
            r"(?:contacto|un asesor|una asesora|asesor\w*|ventas|la escuela|atencion|informes|ustedes|oficina|"
            r"llamar|comunicarme|hablar|alguien|una persona)",
            r"(?:tienen|tenes|hay|existe) (?:un |algun |otro )?(?:numero|telefono|whatsapp|correo|email|linea) "
            r"(?:de|para|al que|donde|directo|fijo)",
            r"a que numero",
            r"(?:escribanme|escribeme|escribame|contactenme|mandenme|enviame|envienme|"
            r"mandame) (?:\S+ ){0,2}(?:al|por|a mi) "
            r"(?:correo|mail|email|whatsapp|numero|privado|dm|interno|inbox|celular|telefono)",
            r"(?:por|al) (?:privado|interno|inbox|dm)",
            r"mi (?:numero|telefono|celular|whatsapp) (?:es|de contacto)",
            r"\+?\d{8,}",
        ),
    ),
    (
        "contact_bot_check",
        Intent.CONTACT_REQUEST,
        0.85,
        (
            r"(?:eres|sos|es usted|tu eres|usted es|estoy hablando con|hablo con|me responde|me contesta) "
            r"(?:un |una )?(?:bot|robot|maquina|contestadora|inteligencia artificial|ia|persona|humano|humana|"
            r"persona real|programa)",
            r"(?:hay|habra|existe|no hay) (?:alguien|alguna persona|algun humano|una persona|un humano|"
            r"algun asesor)"
            r"(?: (?:real|disponible|con quien|que me (?:atienda|ayude|explique|llame|conteste|responda|"
            r"oriente))|$)",
            r"(?:persona|alguien) (?:real|de verdad|de carne y hueso)",
            r"(?:un |con un |con una )?(?:ser humano|humano de verdad)",
            r"no (?:quiero|me gusta|deseo) hablar con (?:un |una )?(?:bot|maquina|robot|contestadora)",
            r"(?:sos|eres) (?:real|humano|humana|una persona)",
            r"(?:ustedes|uds|usted) (?:me )?(?:llaman|contactan|marcan|escriben|se comunican)",
            r"(?:persona|humano|humana|bot|robot|maquina) o (?:un |una )?(?:bot|robot|maquina|persona|humano|ia)",
            r"(?:quiero|necesito|prefiero|pido|exijo) (?:hablar con )?(?:una persona|un humano|alguien real|"
            r"un asesor|"
            r"una asesora|alguien de verdad|un agente)",
            r"hablando con (?:un |otro |una )?(?:bot|robot|maquina|contestadora)",
            r"(?<!recursos )(?<!talento )(?<!ser )humano",
        ),
    ),
    (
        "contact_advisor_word",
        Intent.CONTACT_REQUEST,
        0.7,
        (
            r"asesor(?:a|es|as)?",
            r"asesoria personalizada",
            r"atencion personalizada",
            r"alguien (?:que me (?:explique|ayude|atienda|oriente)|de ventas|de la escuela|del equipo|"
            r"de ustedes)",
        ),
    ),
    # --- FREE_RESOURCES: free material, trials, scholarships.
    (
        "free_word",
        Intent.FREE_RESOURCES,
        0.9,
        (
            r"gratis",
            r"gratuit\w*",
            r"free",
            r"sin costo\w*",
            r"sin pagar",
            r"de balde",
            r"de a gratis",
            r"de regalo",
            r"regalad\w*",
            r"(?:regalan|regalas|regalo|regalos|obsequi\w*)",
            r"sin cobrar",
            r"(?:de|por) cortesia",
            r"cero costo",
            r"costo cero",
        ),
    ),
    (
        "free_trial",
        Intent.FREE_RESOURCES,
        0.88,
        (
            rf"(?:clases?|sesion|sesiones|leccion|lecciones|modulo|semana|mes|dia|periodo|version|acceso|class|"
            rf"videos?|capitulo) "
            rf"(?:{G1})?(?:de prueba|"
            r"muestra|demo|introductori\w*|piloto|abierta|de cortesia|de muestra)",
            r"(?:demo|trial)",
            rf"(?:puedo|se puede|podria|hay forma de|hay manera de|dejan|me dejan|puedo ver|existe) (?:{G1})?"
            r"(?:probar|probarlo|probarla|ver una clase|ver como es|asistir a una clase|ver una muestra)",
            rf"(?:probar|probarlo|probarla|ver) (?:{G2})?antes de (?:pagar|comprar|inscribirme|decidir\w*|"
            rf"pagarlo)",
            r"prueba (?:gratis|gratuita)",
            r"probar (?:una|un|la|el|alguna|algun) (?:clase|sesion|modulo|curso|plataforma|leccion)",
            r"(?:una|un|la) prueba (?:de \S+ dias|de unos dias|de \d+ dias|de una semana|corta|antes|gratis|"
            r"sin pagar)",
            r"(?:periodo|version|dias|semana|mes) de prueba",
        ),
    ),
    (
        "free_scholarship",
        Intent.FREE_RESOURCES,
        0.9,
        (
            r"beca\w*",
            r"becad\w*",
            r"apoyo economico",
            r"ayuda economica",
            r"subsidi\w*",
            r"financiad\w* por el gobierno",
        ),
    ),
    (
        "free_events",
        Intent.FREE_RESOURCES,
        0.8,
        (
            r"webinar\w*",
            r"master ?class\w*",
            r"clase abierta",
            r"clases abiertas",
            r"charla\w* (?:abierta|introductoria|informativa|virtual|online)",
            r"taller\w* introductori\w*",
            r"live\w* (?:de|en) (?:youtube|instagram|tiktok)",
        ),
    ),
    (
        "free_starter_material",
        Intent.FREE_RESOURCES,
        0.8,
        (
            r"(?:material|materiales|recursos|contenido|apuntes|guias?|ebooks?|e book|pdfs?|tutoriales?|videos) "
            r"(?:para (?:empezar|practicar|ir empezando|aprender por mi cuenta|revisar)|de (?:regalo|muestra|"
            r"introduccion)|"
            r"introductori\w*|de descarga|descargable\w*)",
        ),
    ),
    (
        "free_material",
        Intent.FREE_RESOURCES,
        0.62,
        (
            r"(?:youtube|canal|blog|podcast|newsletter|tiktok)",
            r"(?:canal|youtube|tiktok|instagram|blog|podcast|pagina) (?:\S+ ){0,4}(?:suban|suben|publiquen|"
            r"publican|clases|"
            r"videos|tutoriales|gratis)",
            r"(?:algo|alguito|algun material) (?:{G1})?para (?:empezar|ir empezando|practicar|probar|ir viendo)",
            r"ebooks?",
            r"descarga\w*",
        ),
    ),
    # --- PRICE_OBJECTION: too expensive, no money, discounts, instalments.
    (
        "price_expensive",
        Intent.PRICE_OBJECTION,
        0.9,
        (
            r"(?:muy|bastante|demasiado|super|re|medio|algo|un poco|tan|mas|un toque|un pelin|un pelo|mucho mas|"
            r"muy muy|que|medio medio|bien|harto|mega|un poquito|bien) (?:caro|cara|caros|caras|costoso|costosa|"
            r"costosos)",
            r"(?:esta|es|son|estan|sale|salen|me parece|se me hace|lo veo|lo encuentro|queda) "
            r"(?:caro|caros|costoso|costosa|carisimo|carisima)",
            r"carisim[oa]s?",
            r"carit[oa]s?",
            r"costos[oa]s?",
            rf"(?:precio|costo|valor|precios|costos|monto|inversion) (?:{G2})?(?:alto|altos|elevado|elevados|"
            r"excesivo|excesivos|fuerte|salado|exagerado|exagerados|abusivo|un robo|de locos|muy alto)",
            r"(?:esta|es|sale|son|muy) (?:muy |bastante |super |un poco )?(?:salado|salada|elevado|excesivo|"
            r"exagerado|un robo|una fortuna|un ojo de la cara)",
            r"no (?:lo |la )?vale",
            r"(?:excesiv[oa]|elevad[oa]|exagerad[oa]|abusiv[oa]|salad[oa]|muy alt[oa]) (?:\S+ ){0,2}(?:el precio|"
            r"el costo|"
            r"la inversion|el valor|la cuota|la mensualidad|el monto)",
            r"(?:me parece|se me hace|lo veo|lo siento|esta|es) (?:muy |un poco |algo |bastante |super |demasiado |"
            r"re )?(?:excesivo|exagerado|"
            r"elevado|"
            r"abusivo|alto el precio|mucho dinero|demasiado dinero)",
            r"(?:precio|costo|monto|valor|numero|cuenta) no me (?:cuadra|convence|conviene|alcanza|da|sirve|"
            r"cierra)",
            r"no me (?:cuadra|cierra) (?:el precio|el costo|la cuenta|el numero)",
            r"(?:es|son|seria|serian) (?:mucho|demasiado|muchisimo) (?:dinero|plata|lana|pasta|billete|varo|"
            r"pisto)",
            r"(?:mucho|muchos|mucha|muchas|demasiad[oa]s?|muchisim[oa]s?|tant[oa]s?) (?:plata|lana|pasta|guita|"
            r"feria|"
            r"billete|dinero|lucas|pesos|dolares|soles|euros|varo|pisto|money|quetzales|bolivares|reales|"
            r"billetes)",
            r"un ojo de la cara",
            r"un rinon",
            r"una fortuna",
            r"(?:no|ni) (?:me )?da el (?:bolsillo|presupuesto|sueldo|salario)",
            r"se (?:me |nos )?(?:sale|salen|pasa|pasan|escapa|escapan|va|van) (?:de|del) (?:mi |nuestro )?"
            r"(?:presupuesto|bolsillo|alcance)",
            r"fuera de (?:mi |nuestro )?(?:presupuesto|alcance|bolsillo|mis posibilidades|lo que puedo pagar|"
            r"lo que puedo gastar|lo que puedo invertir)",
            r"(?:uf|uff|upa|uy|ufff|ouch|auch|wow|nooo|no) (?:\S+ )?(?:caro|carisimo|costoso)",
            r"^(?:caro|caros|carisimo|costoso)$",
        ),
    ),
    (
        "price_too_much",
        Intent.PRICE_OBJECTION,
        0.7,
        (r"(?:me parece|se me hace|es) (?:mucho|demasiado|muchisimo)(?: dinero| para mi| la verdad)?$",),
    ),
    (
        "price_no_money",
        Intent.PRICE_OBJECTION,
        0.9,
        (
            r"(?<!tiempo )no (?:me )?alcanza(?:n)?(?! el tiempo| mi tiempo| con el tiempo| el dia| las horas|"
            r" a conectar|"
            r" a llegar)",
            rf"no (?:tengo|cuento con|tenemos|me sobra|dispongo de|junto|tengo suficiente|tengo tanto|"
            rf"tengo mucho|"
            rf"tengo ese|manejo) (?:{G2})?{_MONEY}",
            rf"sin {_MONEY}",
            rf"(?:estoy|ando|quede|me quede|estamos|andamos|vivo) (?:{G1})?(?:corto|corta|cortos|pelado|pelada|"
            rf"quebrado|quebrada|misio|misia|pobre|en la quiebra|en la ruina|arrancado|arrancada|limpio|limpia|"
            rf"seco|"
            rf"apretado|apretada|bruja|brujo|tieso|tiesa|en la lona|sin un peso|pelao|chiro|chira|lamido|lamida|"
            rf"jodido de plata|ajustad[oa]|apretad[oa])(?! ?de tiempo| ?con el tiempo| ?de horario)",
            rf"no (?:puedo|podria|podemos|alcanzo a|logro|me es posible|puedo permitirme) (?:{G1})?(?:pagar\w*|"
            rf"costear\w*|"
            rf"permitirme|permitir\w*|invertir|gastar|cubrir\w*|solventar\w*|pagarlo ahora|costearlo)",
            r"no me lo puedo permitir",
            r"no (?:lo |la |me lo |me la )?(?:puedo|podria|podemos|alcanzo a) (?:\S+ )?(?:pagar\w*|costear\w*|"
            r"permitir\w*)",
            r"no me (?:lo )?puedo (?:pagar|costear|permitir)",
            r"mi (?:sueldo|salario|presupuesto|bolsillo|quincena) no",
            r"(?:situacion|cosa) (?:economica|financiera) (?:\S+ )?(?:dificil|complicada|mala|jodida|fea|"
            r"apretada)",
            rf"(?:apretad[oa]|ajustad[oa]|cort[oa]) (?:de|con) (?:la |el )?{_MONEY}",
            r"no tengo con que (?:pagar|pagarlo)",
            r"no (?:tengo|tenemos|veo) (?:como|con que|de donde|manera de|forma de) (?:pagar\w*|costear\w*|sacar)",
            r"no (?:tengo|tenemos|me alcanza|me queda) (?:para|con que) (?:pagar\w*|costear\w*|eso|el curso|"
            r"tanto|"
            r"invertir|comprarlo)",
            r"no (?:estoy|estamos) en (?:condiciones|posibilidad|posicion|situacion) de (?:pagar|invertir|gastar|"
            r"costear)",
            r"no (?:\S+ ){0,3}(?:pagar|invertir|gastar|costear) (?:eso|tanto|esa cantidad|ese monto|esa plata|"
            r"ese dinero|"
            r"ese precio|esa suma)",
            r"(?:presupuesto|bolsillo) (?:es |esta )?(?:muy )?(?:limitado|bajo|ajustado|corto|justo|apretado|"
            r"flaco)",
            r"no (?:gano|ganamos) (?:tanto|mucho|suficiente|lo suficiente)",
            r"(?:soy|somos) (?:estudiante|estudiantes) y no (?:tengo|puedo|me alcanza)",
            r"(?:la )?plata no (?:me )?(?:alcanza|da)",
            r"(?:esta|anda|viene) (?:dificil|complicado|dura|duro|jodido) (?:lo |la cosa |"
            r"el tema )?(?:economic\w*|"
            r"de plata|de dinero|del dinero|con la plata|con el dinero)",
        ),
    ),
    (
        "price_discount",
        Intent.PRICE_OBJECTION,
        0.86,
        (
            r"descuento\w*",
            r"promocion\w*",
            r"promo\w*",
            r"rebaja\w*",
            r"cupon\w*",
            r"codigo (?:de )?(?:descuento|promocional|promo|de referido)",
            rf"(?:precio|tarifa|costo) (?:{G1})?(?:especial|preferencial|promocional|reducido|de estudiante|"
            r"para estudiantes|de amigo|de lanzamiento|de preventa|menor)",
            r"mas (?:barat[oa]s?|economic[oa]s?|accesibles?|baj[oa]s?|comodos?)",
            rf"(?:algo|opcion|opciones|version|plan|alternativa|planes|curso|cursos) (?:{G1})?(?:barat\w*|"
            rf"economic\w*|"
            r"accesible\w*|low cost)",
            r"barat[oa]s?",
            rf"(?:rebajar|rebajen|rebajan|bajar|bajen|bajan|bajas|dejan|dejas|hacen|haces|hagan|haceme|hazme|"
            rf"harian|haria|"
            rf"darian|daria) "
            rf"(?:{G2})?(?:precio|costo|en menos|mas barato|un descuento|un precio|una rebaja|algo)",
            r"me (?:lo |la )?(?:dejas|dejan|deja) (?:en|a|por) (?:\$|\d)",
            r"(?:black friday|cyber monday|cyber|hot sale|buen fin|cybermonday|preventa)",
            r"(?:2x1|2 x 1|dos por uno)",
            r"ofertas?(?! academica| educativa| de cursos| de formacion)",
            r"precio de (?:lanzamiento|preventa|amigo)",
            r"(?:precio|precios|tarifa|costo) (?:especial |diferenciad[oa] |regional )?(?:para|"
            r"en) (?:latinoamerica|latam|"
            r"mi pais|\S+ pais|paises|argentina|venezuela|colombia|peru|bolivia|mexico|ecuador|chile|"
            r"centroamerica)",
            r"(?:tarifa|precio) (?:social|solidari[oa])",
        ),
    ),
    (
        "price_minimum",
        Intent.PRICE_OBJECTION,
        0.85,
        (
            r"(?:lo minimo|pago minimo|cuota minima|lo menos) (?:\S+ ){0,4}(?:pagar|pago|por mes|mensual\w*|"
            r"de entrada|"
            r"inicial|para empezar|para entrar)",
        ),
    ),
    (
        "price_installment_amount",
        Intent.PRICE_OBJECTION,
        0.88,
        (
            r"(?:cuanto|de cuanto|que monto) (?:\S+ ){0,3}(?:cuota|cuotas|mensualidades|pago mensual|"
            r"pagos mensuales|"
            r"cada cuota|a meses)",
            r"(?:si|lo) (?:lo )?(?:divido|dividimos|fracciono|parto|difiero)",
            r"(?:dividir|dividirlo|fraccionar|fraccionarlo|diferir|diferirlo|partir) (?:\S+ ){0,2}(?:pago|pagos|"
            r"monto|"
            r"precio|costo|en)",
        ),
    ),
    (
        "price_installments",
        Intent.PRICE_OBJECTION,
        0.7,
        (
            r"cuotas?",
            r"(?:meses|pagos|cuotas) sin interes\w*",
            r"facilidad\w* de pago",
            r"msi",
            r"(?:a|en) plazos",
            rf"pagar(?:lo|la)? (?:{G1})?(?:por partes|en partes|de a poco|poco a poco|mensual\w*|por mes|"
            rf"en pagos|"
            r"en mensualidades|en varios pagos|en abonos|a credito)",
            r"(?:pago|pagos) (?:mensual\w*|parcial\w*|diferid\w*|fraccionad\w*|en partes|a plazos|semanales|"
            r"quincenales)",
            r"mensualidades",
            r"financia\w*",
            r"fraccionad\w*",
            r"diferid[oa]",
            r"en (?:abonos|parcialidades|partes)",
            r"abonos",
            r"parcialidades",
            r"plan de pagos?",
            r"(?:de|en) un (?:solo )?pago",
            r"(?:todo junto|de contado|de una sola vez)",
            r"(?:la mitad|una parte|un anticipo|un adelanto|un abono|parte) (?:\S+ ){0,2}(?:y (?:la mitad|"
            r"el resto|lo demas|"
            r"otra parte|la otra)|despues|luego|al final|el otro mes|mas adelante)",
            r"el resto (?:despues|luego|al final|el otro mes|en \S+)",
            r"(?:enganche|anticipo)",
            r"en \d+ (?:partes|pagos|cuotas|meses|mensualidades|abonos|quincenas|exhibiciones|veces)",
        ),
    ),
    # --- TIME_OBJECTION: no time, busy, classes too long.
    (
        "time_no_time",
        Intent.TIME_OBJECTION,
        0.92,
        (
            rf"no (?:tengo|tenemos|dispongo de|cuento con|me queda|me sobra|hay|tendria|tendre|creo tener) "
            rf"(?:{G2})?(?:tiempo|horario libre|horarios libres|horas libres|espacio en (?:mi|la) agenda|"
            rf"rato libre|"
            r"ratos libres|disponibilidad)",
            r"tiempo (?:\S+ ){0,4}no (?:tengo|me sobra|me alcanza|tenemos)",
            r"sin (?:\S+ )?tiempo",
            r"(?<!en )poco tiempo (?:libre|disponible|para)",
            r"(?:tengo|tenemos|dispongo de) (?:muy )?poco tiempo",
            r"(?:falta|faltan|me falta|nos falta) (?:de )?tiempo",
            rf"no me (?:da|alcanza|rinde|queda|sobra) (?:{G1})?(?:el tiempo|tiempo|la vida|el dia|las horas|"
            rf"el reloj)",
            r"no me da la vida",
            r"(?:a esa hora|en ese horario|a esas horas|en esos horarios|a esa misma hora) (?:\S+ ){0,2}(?:sigo|"
            r"estoy|"
            r"ando|trabajo|estoy trabajando|salgo|entro|tengo)",
            r"(?:solo|apenas|solamente|nada mas|unicamente) (?:tengo|dispongo de|me queda|me quedan|cuento con) "
            r"(?:\S+ ){0,2}(?:hora|horas|rato|ratos|minutos|tiempo|ratito)",
            r"(?:el|mi) tiempo no me (?:alcanza|da|rinde)",
            r"no (?:alcanzo|llego|me alcanza|me da|llegaria|alcanzaria) (?:con )?(?:el|mi) tiempo",
            r"(?:estoy|ando) (?:\S+ )?(?:terminando|haciendo|con|escribiendo) (?:la |mi )?(?:tesis|examenes|"
            r"finales|"
            r"parciales|practicas profesionales|residencia|internado)",
            r"ni (?:un|una) (?:minuto|rato|hora|segundo|momento)(?: libre| para mi)?",
            rf"tiempo (?:{G1})?(?:es |esta )?(?:muy )?(?:limitado|escaso|muy poco|reducido|justo|contado|"
            rf"apretado)",
            r"(?:corto|corta|justo|justa|apretado|apretada|escaso|escasa|mal|fatal|complicad[oa]) de tiempo",
            r"(?:el tiempo|tiempo) (?:es mi|es el) (?:problema|tema|limitante|issue)",
            r"cuando tenga (?:mas )?tiempo",
            rf"no (?:creo|se si) (?:{G2})?(?:tener tiempo|poder con|pueda con|llegar a|alcanzar a|"
            rf"seguir el ritmo|"
            r"cumplir con|darle el tiempo|pueda asistir|pueda conectarme)",
        ),
    ),
    (
        "time_busy",
        Intent.TIME_OBJECTION,
        0.9,
        (
            r"(?:muy|super|re|bastante|demasiado|full|tan|siempre|algo|bien|mega|hiper|recontra) ocupad[oa]s?",
            r"ocupadisim[oa]s?",
            r"agenda (?:\S+ )?(?:llena|apretada|complicada|a tope|saturada|loca|reventada|copada|explotada)",
            rf"(?:estoy|ando|vivo|voy|estamos|andamos) (?:{G1})?(?:a full|a tope|a mil|hasta el cuello|"
            rf"con mil cosas|"
            r"con muchas cosas|saturad[oa]|colapsad[oa]|corriendo|sin parar|como loc[oa]|liad[oa]|"
            r"enredad[oa]|tapad[oa]|copad[oa]|hasta arriba|con la agenda|con el tiempo justo|reventad[oa]|"
            r"sobrepasad[oa]|desbordad[oa]|a reventar|de arriba para abajo|de aqui para alla)",
            r"mil cosas",
            r"muchas cosas que hacer",
            r"no paro",
            r"no me (?:doy|da) abasto",
        ),
    ),
    (
        "time_work_schedule",
        Intent.TIME_OBJECTION,
        0.88,
        (
            rf"(?:trabajo|chambeo|laburo|curro|trabajamos) (?:{G1})?(?:todo el dia|todo el santo dia|"
            rf"de sol a sol|"
            r"de lunes a sabado|de lunes a domingo|tiempo completo|full time|jornada completa|doble turno|"
            r"turnos|horario rotativo|en turnos|por turnos|de noche|en la noche|por la noche|en las noches|"
            r"de dia|en el dia|en la manana|de manana|en las mananas|en las tardes|horas extra|\d+ horas|"
            r"muchas horas|hasta tarde|de \d+ a \d+|doble jornada|los fines de semana|los sabados|"
            r"fines de semana|demasiado|muchisimo|un monton|full|a tiempo completo|7 dias|siete dias|"
            r"mas de \d+ horas|en dos trabajos|en 2 trabajos|dos trabajos|2 trabajos|y estudio)",
            r"(?:trabajo|estudio) y (?:estudio|trabajo|tengo hijos|cuido|tengo familia|tengo ninos)",
            rf"(?:tengo|con) (?:{G1})?(?:hijos|ninos|bebe|bebes|hija|hijo|nenes|chamacos|peques|chicos pequenos|"
            r"mellizos|gemelos|familia que atender)",
            rf"(?:jornada|horario|horarios) (?:laboral\w* )?(?:{G2})?(?:larga|largo|largas|pesada|pesado|"
            r"complicad[oa]s?|dificil\w*|rotativ[oa]s?|extens[oa]s?|eterna|cambiantes?|variables?|locos?|"
            r"impredecibles?|muy variables?|imposibles?|terribles?|fatales?|pesimos?|muy malos?)",
            r"(?:mi|el) trabajo (?:no me deja|me absorbe|me consume|me quita|me come)",
            rf"llego (?:{G1})?(?:tarde|cansad[oa]|muert[oa]|agotad[oa]|rendid[oa]|reventad[oa]|molid[oa]|"
            rf"fundid[oa])",
            rf"(?:salgo|sale) (?:{G1})?(?:tarde|muy tarde|a las \d+) (?:del|de|de la)",
            r"(?:dos|2|tres|3) (?:trabajos|chambas|empleos)",
            r"(?:horarios?|turnos?) (?:\S+ )?(?:cambian|varian|cambiantes|rotan|cambia|varia)",
            r"(?:horario|horarios|hora|horas|dias) (?:\S+ ){0,4}no me (?:acomoda|acomodan|queda|quedan|sirve|sirven|"
            r"conviene|convienen|funciona|funcionan|cuadra|cuadran|va|van)",
            r"no (?:puedo|podria|podre) dedicar(?:le)? (?:tantas|muchas|tanto|mucho|esas|esa cantidad de) "
            r"(?:horas|tiempo)",
            r"no (?:puedo|podria) comprometerme",
            r"(?:con mi|mi|con el|con este) (?:horario|trabajo|agenda|turno|rutina|"
            r"ritmo de vida) (?:\S+ ){0,2}(?:es |seria |"
            r"lo veo )?(?:imposible|no puedo|no me da|no hay manera|muy complicado|muy dificil|no creo)",
            r"turnos? (?:rotativos?|cambiantes|de noche|nocturnos?|de \d+ horas|de guardia|dobles?)",
            r"(?:guardias|hago guardias|trabajo de guardia)",
        ),
    ),
    (
        "time_course_length",
        Intent.TIME_OBJECTION,
        0.8,
        (
            r"(?:muy|demasiado|tan|bastante|super|re|medio|algo) (?:larg[oa]s?|extens[oa]s?|intens[oa]s?|"
            r"eterno\w*)",
            r"(?:son|es|serian|seria) (?:muy |demasiado |tan |bien )?(?:larg[oa]s|eternas)",
            rf"(?:mucho|demasiado|muchas|demasiadas|tantas) (?:tiempo|horas) (?:{G1})?(?:a la|por|cada|de|al|"
            rf"para)",
            r"es mucho tiempo",
            r"(?:son|es|serian|seria) (?:muchas|demasiadas|tantas|muchisimas) horas",
            r"(?:ritmo|clases|horas|sesiones|semanas|carga|dedicacion) (?:\S+ ){0,5}(?:es|son|seria|serian|"
            r"me parece) "
            r"(?:mucho|mucha|muchas|muchisima|demasiado|demasiada|demasiadas|bastante|alta|pesada|excesiva|"
            r"muy pesad[oa]|muy intens[oa])",
            r"(?:menos|pocas) horas",
            r"algo (?:mas )?(?:corto|cortito|rapido|breve|intensivo|express)",
            r"(?:dura|duran) (?:mucho|demasiado)$",
            r"mas (?:corto|cortos|corta|cortas|cortito)",
            r"(?:muy|demasiado|super|re) (?:tarde|temprano) para mi",
        ),
    ),
    (
        "time_cant_attend",
        Intent.TIME_OBJECTION,
        0.8,
        (
            rf"no (?:llego|alcanzo|puedo|podria|podre|voy a poder) (?:{G1})?(?:a tiempo|a las clases|conectarme|"
            rf"asistir|"
            r"en ese horario|a ese horario|entre semana|en las mananas|en las tardes|en las noches|de dia|"
            r"en la semana|"
            r"en vivo|a las sesiones|ir a las clases|seguir las clases|estar en las clases|a esa hora|"
            r"en horario)",
            r"(?:ahorita|por ahora|ahora|en este momento|este mes|este ano) no (?:puedo|me da|tengo cabeza)",
            r"no (?:puedo|podria|podre) (?:los |las |en las |en la |el |la )?(?:sabados|domingos|fines de semana|"
            r"finde|"
            r"lunes|martes|miercoles|jueves|viernes|mananas|tardes|noches|entre semana|de dia|de noche)",
            r"(?:^|quizas |quiza |tal vez |mejor |lo dejo para |lo veo para |hasta |ya sera |sera )(?:mas adelante|"
            r"el proximo ano|el ano que viene|el otro mes|el otro ano)(?: quizas| tal vez| veo)?$",
        ),
    ),
    # --- BUYING_SIGNALS: ready to enrol or pay.
    (
        "buy_enroll_verb",
        Intent.BUYING_SIGNALS,
        0.92,
        (
            r"(?:inscribirme|inscribirse|inscribirnos|inscribimos|inscribete|inscribeme|inscribanme|"
            r"inscribame|inscribi|inscribirlo|inscribirla|inscribir a|matricularme|matricularse|"
            r"matricularnos|matriculame|anotarme|anotarse|anotame|anotenme|anotanos|apuntarme|apuntame|"
            r"apuntenme|apuntarse|registrarme|registrarse|registrame|registrenme|enrolarme|inscribite|anotate)",
            r"me (?:apunto|anoto|inscribo|sumo|uno|registro|matriculo|engancho|prendo)",
            r"me (?:anotas|anotan|inscribes|inscriben|apuntas|apuntan|registras|registran|matriculas|matriculan)",
            r"me (?:quiero|quisiera|gustaria|voy a|puedo|pueden|podrian|podria) (?:\S+ )?(?:anotar|inscribir|"
            r"apuntar|"
            r"registrar|matricular|unir al|sumar al|sumar a)",
        ),
    ),
    (
        "buy_enroll_noun",
        Intent.BUYING_SIGNALS,
        0.7,
        (
            r"inscripcion\w*",
            r"matricula\w*",
            r"registro",
        ),
    ),
    (
        "buy_want",
        Intent.BUYING_SIGNALS,
        0.9,
        (
            rf"(?:quiero|quisiera|deseo|me gustaria|voy a|vamos a|queremos|necesito|ya quiero|me interesa|"
            rf"estoy list[oa] para|me decidi a|decidi|tengo ganas de|ya me decidi|estoy decidid[oa] a) "
            rf"(?:{G2})?(?:comprar\w*|pagar\w*|adquirir\w*|entrar(?! a trabajar| a laburar| a una empresa|"
            rf" al mundo| en el mundo)|unirme|sumarme|reservar\w*|apartar\w*|separar\w*|"
            rf"la inscripcion|el curso ya|empezar ya|empezar hoy|empezar cuanto antes|arrancar ya|contratar\w*|"
            rf"tomar el curso|tomar ese curso|tomar el de|tomarlo|hacer el curso|hacer el de|hacerlo|cursarlo|"
            rf"entrar al(?! mundo)|entrar en(?! el mundo)|formar parte)(?! a trabajar| a laburar| a chambear|"
            rf" en una empresa| a una empresa)",
            rf"(?:como|donde|cuando|que tengo que hacer para|que hago para|que necesito para|"
            rf"como hago para|como le hago para|pasos para) (?:{G3})?(?:pagar\w*|pago|inscribir\w*|registrar\w*|"
            rf"comprar\w*|compro|matricul\w*|anotar\w*|apuntar\w*|unirme|reservar\w*|acceder)",
            r"(?:lo|la|los) (?:compro|quiero|tomo|pago|adquiero|contrato|agarro|llevo)",
            r"(?:cuenten|contar|puedes contar|pueden contar) conmigo",
            r"me lo llevo",
            r"estoy dentro",
            r"me (?:convencieron|convenciste|convencio|convences)",
            r"(?:vamos con|voy con|me quedo con|quiero ese|quiero el de|elijo el|voy por el|me voy por el)",
            r"(?:quiero|quisiera) (?:ese|este|el) (?:curso|programa|diplomado|bootcamp)",
            r"quiero empezar (?:ya|hoy|cuanto antes|lo antes posible|el lunes|este mes|la proxima semana|ahora)",
            r"(?:listo|lista|dale|va|vale|sale|de una|ok|perfecto|excelente|genial|bueno|ya|orale|bacan|"
            r"vamos|hagamoslo|hagamosle) (?:quiero|me) (?:\S+ )?(?:inscribo|apunto|anoto|entrar|empezar|el curso|"
            r"sumo|lo llevo|lo compro)",
            r"hagamos?(?:lo|le)$",
            r"(?:me decidi|ya me decidi|decidi|decidimos|me quedo|elijo|elegi|me voy|me inclino) por (?:el|la|"
            r"ese|este|"
            r"esa|esta)",
            r"(?:como seguimos|que sigue|cual es el siguiente paso|siguientes pasos|como procedo|como continuo|"
            r"que sigue ahora|y ahora que hago|que debo hacer para empezar)",
            r"(?:listo|lista) para (?:empezar|comenzar|arrancar|pagar|inscribirme)",
        ),
    ),
    (
        "buy_payment",
        Intent.BUYING_SIGNALS,
        0.9,
        (
            r"(?:metodos?|formas?|medios?|opciones|maneras?|modos?) de pago",
            rf"(?:aceptan|reciben|puedo pagar con|se puede pagar con|pago con|manejan|tienen|toman|trabajan con|"
            rf"puedo pagar por|puedo pagar en|se puede pagar por|pagar con|pagar por|pagar en|admiten|sirve) "
            rf"(?:\S+ ){{0,4}}{_PAY_METHOD}",
            rf"^{_PAY_METHOD}$",
            rf"(?:link|enlace|liga|boton|datos|link de pago|url) (?:{G1})?(?:de|para) (?:pago|pagar|compra|"
            rf"comprar|"
            r"inscripcion|inscribirme|registro|registrarme|la compra|transferir|deposito)",
            rf"(?:pasame|pasa|mandame|manda|envia|enviame|comparte|compartime|pasen|manden|envien|pasenme|"
            rf"mandenme|envienme|mandeme|envieme|pasame por favor) (?:{G2})?(?:link|enlace|liga|datos bancarios|"
            r"cuenta|cbu|clabe|alias|numero de cuenta|datos para)",
            r"(?:cbu|clabe|cuenta bancaria|numero de cuenta|datos bancarios|cuenta para depositar|"
            r"cuenta para transferir)",
            rf"ya (?:hice|realice|mande|envie|te mande|les mande|te envie|les envie|hicimos) (?:{G1})?(?:el |"
            rf"la )?"
            r"(?:pago|transferencia|deposito|comprobante|abono)",
            r"ya (?:pague|transferi|deposite|aboné|abone|realice el pago|consigne)",
            r"consign\w*",
            r"(?:^|ya |listo |bueno |ok |dale |va )(?:compro|pago|tomo|adquiero|contrato) (?:el|ese|este|los) "
            r"(?:curso|programa|diplomado|bootcamp|taller|cursos)",
            r"(?:informacion|datos|info) (?:\S+ ){0,2}(?:para|del|de) (?:hacer |realizar )?(?:el |la )?(?:deposito|"
            r"pago|transferencia)",
            r"comprobante\w*",
            r"(?:factura|facturan|facturar|boleta) (?:{G1})?(?:a nombre|para mi empresa|con rfc|con ruc|"
            r"para deducir)",
            r"(?:te |le |les )?(?:pago|transfiero|deposito|abono|mando el dinero|envio el dinero|hago el pago|"
            r"hago la "
            r"transferencia) (?:\S+ ){0,1}(?:ahora|ya|hoy|de una|ahorita|manana|enseguida|en un rato|en la tarde|"
            r"esta semana)",
            r"a (?:que|cual) (?:cuenta|numero de cuenta|banco|alias|cbu|clabe)",
            r"donde (?:se |puedo |le )?(?:paga|pago|deposito)",
        ),
    ),
    (
        "buy_spot",
        Intent.BUYING_SIGNALS,
        0.86,
        (
            rf"(?:reservar|apartar|separar|asegurar|guardar|guardame|apartame|reservame|separame|aparten|"
            rf"reserven|"
            rf"separen|guarden|apartar|apartarme) (?:{G2})?(?:lugar|cupo|puesto|plaza|vacante|lugarcito|espacio|"
            r"matricula|silla)",
            r"(?:quedan|hay|tienen|habra|todavia hay|aun hay|quedaran) (?:\S+ )?(?:cupos?|lugares|plazas)"
            r"(?! maximo| limitado| de alumnos| por grupo| por clase)",
            r"ultimos? (?:cupos?|lugares)",
        ),
    ),
    (
        "buy_start",
        Intent.BUYING_SIGNALS,
        0.85,
        (
            r"cuando (?:empiezo|puedo empezar|arranco|inicio|podria empezar|puedo arrancar|puedo comenzar)",
            r"(?:empezar|arrancar|comenzar) (?:ya|hoy|cuanto antes|de inmediato|ya mismo|lo antes posible)",
            r"(?:para )?(?:el|al) proximo (?:grupo|cohorte|inicio) (?:quiero|me anoto|me apunto|me sumo|entro)",
        ),
    ),
    # --- PROFESSION_CHANGE: career change, reskilling, lost job.
    (
        "career_change",
        Intent.PROFESSION_CHANGE,
        0.92,
        (
            rf"(?:cambiar|cambiarme|cambio|cambie|cambiaria|cambiando|cambie) (?:de|mi) (?:{G1})?(?:carrera|"
            rf"profesion|rubro|"
            rf"trabajo|area|giro|sector|empleo|chamba|laburo|curro|pega|industria|oficio|vida laboral|camino|"
            rf"ambito|"
            r"perfil|especialidad|direccion profesional|rumbo|vida)",
            r"(?:reorient|redirig|redireccion|reenfoc|reencauz)\w* (?:mi |la |el )?(?:carrera|vida profesional|"
            r"vida laboral|perfil|profesion|rumbo|futuro|camino)",
            rf"(?:hacer|hacerme|construir|desarrollar) (?:mi |una )?carrera (?:profesional )?(?:en|de|como) "
            rf"(?:la |el )?(?:{G1})?{_TECH_FIELD}",
            rf"desarrollarme (?:profesionalmente |laboralmente )?(?:en|como) (?:la |el )?(?:{G1})?{_TECH_FIELD}",
            r"(?:dar|darle) (?:un )?giro (?:a mi |profesional|laboral)",
            r"reinvent\w*",
            r"reconvert\w*",
            r"reconversion\w*",
            r"re ?skilling",
            r"up ?skilling",
            rf"(?:pasarme|pasar|moverme|mover|migrar|saltar|brincar|cambiarme|meterme|irme|dar el salto|"
            rf"dar el brinco|transicionar|hacer la transicion|hacer el cambio|cambiar|pasar de|migrar de|cambio|"
            rf"salto|switch|transicion) (?:{G3})?(?:a|al|hacia|para) (?:la |el |lo |los |"
            rf"las )?(?:{G3})?{_TECH_FIELD}",
            rf"(?:dedicarme|trabajar|vivir|chambear|laburar|conseguir chamba|ejercer|"
            rf"desempenarme) (?:{G2})?(?:de|en|a|como|del|dentro de) (?:la |el |lo |un |una |las |los )?(?:{G2})?"
            rf"{_TECH_FIELD}",
            r"(?:dedicarme|trabajar|chambear|laburar) con (?:la |las |los |el )?(?:computadoras|computadora|"
            r"datos|"
            r"tecnologia|sistemas|codigo|software|computacion)",
            r"transicion (?:de carrera|profesional|laboral)",
            rf"(?:quiero|busco|quisiera|me gustaria|conseguir|encontrar|tener|aspiro a) (?:un |una |"
            rf"mi )?(?:{_JOB}|"
            rf"puesto|carrera|futuro|empleo|chance|oportunidad) (?:{G1})?(?:en|de|como|dentro de) (?:la |el |"
            rf"lo )?"
            rf"(?:{G1})?{_TECH_FIELD}",
            r"nueva (?:carrera|profesion|etapa profesional|salida laboral|vida profesional)",
            r"otra (?:carrera|profesion|area|rama|industria|salida)",
            rf"(?:dejar|salir|salirme|renunciar a|abandonar) (?:de )?(?:mi|el) (?:{G1})?(?:trabajo|rubro|area|"
            rf"profesion|"
            r"empleo|carrera|chamba|laburo|oficio)",
            rf"(?:convertirme|volverme|ser|hacerme|llegar a ser) (?:en )?(?:un |una )?(?:{G1})?(?:programador\w*|"
            r"desarrollador\w*|analista\w* de datos|cientific\w* de datos|data scientist|data analyst|"
            r"ingenier\w* de datos|data engineer|developer|dev)",
            r"(?:empezar|comenzar|arrancar) (?:de cero|de nuevo|desde cero) (?:en (?:otra|otro|una nueva|"
            r"un nuevo)|"
            r"profesionalmente|laboralmente)",
            r"(?:es|sera|esta|seria|ya es) (?:muy |demasiado )?tarde para (?:\S+ ){0,2}(?:aprender|cambiar|"
            r"empezar|"
            r"estudiar|meterme|dedicarme|entrar)",
            r"(?:con|a mis|tengo) \d+ (?:anos )?(?:\S+ ){0,3}(?:puedo|podre|es tarde|todavia|aun|sirve|"
            r"me contratan|"
            r"consigo)",
            r"(?:aunque|a pesar de que|pese a que|y ya|pero ya|a pesar de) (?:que )?(?:tengo|tenga) \d+",
            r"cambio de (?:carrera|profesion|rubro|area|trabajo|sector|giro|empleo|vida)",
            r"dejar de (?:ser|trabajar (?:de|como|en))",
            r"(?:profesion|carrera|trabajo|empleo|oficio|area) con (?:mas|mejores|mejor|buen|"
            r"buenas) (?:oportunidades|"
            r"futuro|salida|demanda|sueldo|sueldos|proyeccion|campo|salario|salarios)",
            r"dejar (?:la|el|mi|los|las) (?:\S+ ){0,2}(?:y|para) (?:\S+ ){0,2}(?:meterme|dedicarme|pasarme|"
            r"entrar|estudiar|"
            r"aprender|trabajar|irme|empezar)",
            r"(?:volver|regresar|reincorporarme|reinsertarme|retomar) (?:a |al |a la |mi )?(?:mundo laboral|"
            r"vida laboral|mercado laboral|trabajo formal)",
            r"(?:volver a trabajar|regresar a trabajar|reincorporarme|reinsertarme|volver al mercado laboral|"
            r"regresar al mercado laboral|reinsertarme laboralmente)",
            rf"para (?:poder )?(?:conseguir|encontrar|tener|buscar) (?:un |una |mejor |otro |un buen |"
            rf"nuevo )?(?:{_JOB}|"
            r"puesto|oportunidades|salida laboral)",
            r"(?:me|nos) (?:contratarian|contratan|contrataran|van a contratar|darian trabajo|dan trabajo)",
            r"(?:consigo|conseguiria|conseguire|encontrare|encontraria|podre conseguir|"
            r"podria conseguir) (?:\S+ )?"
            r"(?:trabajo|empleo|chamba|laburo|pega|curro)",
            rf"(?:empezar|iniciar|comenzar|arrancar|probar|buscar) (?:con )?algo (?:nuevo|distinto|diferente|"
            rf"otro) "
            rf"(?:en|de|con|dentro de|relacionado con) (?:la |el |lo )?(?:{G1})?{_TECH_FIELD}",
            r"(?:salir|salirme|escapar|escaparme) de (?:esto|aqui|mi trabajo|mi empleo|la chamba|ahi|la rutina|"
            r"la oficina|"
            r"este trabajo|este empleo|este rubro|lo mismo|donde estoy)",
            r"(?:estudie|me gradue de|me recibi de|soy licenciad[oa] en|soy egresad[oa] de|"
            r"tengo (?:un )?titulo (?:de|en)|"
            r"hice la carrera de) (?:\S+ ){1,3}(?:pero|y ahora|y) (?:\S+ ){0,2}(?:quiero|me gustaria|quisiera|"
            r"busco|pienso)",
            r"(?:estancad[oa]|quemad[oa]|frustrad[oa]|aburrid[oa]|cansad[oa]|hart[oa]) (?:de ser|como|siendo|"
            r"trabajando (?:de|como|en)|de trabajar (?:de|como|en)|en mi (?:trabajo|puesto|empleo|carrera|"
            r"profesion))",
            r"me siento (?:estancad[oa]|atrapad[oa]|quemad[oa]|frustrad[oa])",
            rf"(?:cansad[oa]|hart[oa]|aburrid[oa]) de (?:la |el |mi |los |las )\S+ (?:\S+ ){{0,3}}(?:quiero|"
            rf"me gustaria|"
            rf"quisiera|busco) (?:hacer |trabajar |dedicarme |estudiar )?algo (?:en|con|de|relacionado con) "
            rf"(?:la |el )?{_TECH_FIELD}",
            r"no (?:aguanto|soporto|quiero seguir en|me llena|me motiva|me gusta) (?:mas )?(?:mi|el) (?:trabajo|"
            r"empleo|"
            r"chamba|laburo|carrera|profesion|oficina|puesto|curro)",
            r"no (?:hay|encuentro|consigo|tengo) (?:\S+ )?(?:trabajo|empleo|chamba|laburo|pega|curro) (?:en|de|"
            r"como|para)",
            r"no hay (?:trabajo|empleo|chamba|laburo|pega|curro)",
            r"(?:mas|mejor|con) (?:demanda|salida|futuro|campo) (?:laboral)?",
            r"(?:llevo|tengo|trabaje|he trabajado|estuve|trabajo hace|trabajo desde hace) (?:\S+ ){0,2}(?:\d+ |"
            r"muchos |"
            r"varios |tantos )?(?:anos|meses) (?:\S+ ){0,8}(?:quiero|quisiera|me gustaria|pienso|necesito|busco) "
            r"(?:\S+ ){0,2}(?:cambiar\w*|pasarme|meterme|dedicarme|moverme|migrar|algo nuevo|otra cosa|"
            r"algo mejor|"
            r"algo diferente|reinventarme|entrar|dar el salto|saltar|probar otra|salir)",
            r"vengo (?:del|de la|de) (?:area|mundo|rubro|sector|ambito|campo)",
        ),
    ),
    (
        "career_lost_job",
        Intent.PROFESSION_CHANGE,
        0.9,
        (
            rf"(?:me quede|estoy|quede|ando|me encuentro|sigo|estamos) (?:{G1})?(?:sin {_JOB}|desemplead\w*|"
            r"parad[oa]|en paro|cesante|sin chamba|buscando trabajo|buscando empleo|en busqueda laboral)",
            r"me (?:despidieron|corrieron|echaron|botaron|liquidaron|recortaron|dieron de baja del trabajo|"
            r"sacaron del trabajo|cesaron)",
            rf"perdi (?:mi |el )?{_JOB}",
            r"(?:fui|he sido|me han|me habian|fuimos|hemos sido|quede) (?:\S+ )?(?:despedid[oa]s?|corrid[oa]s?|"
            r"echad[oa]s?|liquidad[oa]s?|recortad[oa]s?|desvinculad[oa]s?|despedido)",
            rf"(?:busco|buscando|buscar|conseguir|encontrar|consigo|conseguiria|conseguir un|encontrar un) "
            rf"(?:{G1})?{_JOB} (?:en|de|como|dentro de|relacionado con)",
            r"(?:despido|despidos|recorte de personal|cerro la empresa|cerraron la empresa|quebro la empresa)",
            r"(?:mi|el) contrato (?:se )?(?:termina|termino|acaba|acabo|vence)",
            r"me jubil\w*",
        ),
    ),
    (
        "career_unhappy",
        Intent.PROFESSION_CHANGE,
        0.85,
        (
            rf"no me gusta (?:{G1})?(?:mi trabajo|mi carrera|lo que hago|mi profesion|mi chamba|mi laburo|"
            rf"mi empleo|mi area)",
            rf"(?:cansad[oa]|aburrid[oa]|estancad[oa]|quemad[oa]|frustrad[oa]|estresad[oa]|podrid[oa]|hart[oa]) "
            rf"(?:{G2})?(?:mi trabajo|mi carrera|mi profesion|de trabajar|de ser|mi chamba|mi laburo|mi empleo|"
            r"lo mismo|de lo mismo|en mi trabajo|de mi area|laboralmente|profesionalmente|del trabajo|"
            r"de mi rubro|"
            r"de la oficina|de mi oficio)",
            r"(?:mejor|mejores) (?:sueldo|salario|trabajo|oportunidades|empleo|paga|puesto|ingreso|futuro|"
            r"calidad de vida|porvenir)",
            r"ganar (?:mas|mejor)(?: dinero| plata| lana)?",
            r"salida\w* laboral\w*",
            r"(?:tiene|tienen|hay) (?:trabajo|empleo|demanda|campo laboral) (?:en|de|para)",
            r"(?:mi )?(?:futuro|crecimiento) (?:profesional|laboral)",
            r"(?:crecer|avanzar|progresar) (?:profesionalmente|laboralmente|en mi carrera)",
            r"(?:mi profesion|mi trabajo|mi carrera|mi area|mi rubro|"
            r"mi oficio) (?:\S+ ){0,4}(?:no tiene futuro|"
            r"no tiene salida|se va a acabar|se esta muriendo|ya no da|no da para vivir|ya no paga|esta muerto|"
            r"no va a ningun lado|no avanza|no crece|esta estancad[oa]|no me lleva a nada|no tiene crecimiento|"
            r"va a desaparecer|esta muriendo|no da|no paga|la va a reemplazar)",
            r"(?:me|nos) (?:va|van) a reemplazar",
            r"(?:quedarme|quedar) (?:atras|obsolet[oa])",
            r"no (?:quiero|quisiera) (?:quedarme|quedar) (?:atras|obsolet[oa]|sin trabajo)",
        ),
    ),
    # --- AUTOMATION_NEED: a concrete task or process to automate.
    (
        "automation_verb",
        Intent.AUTOMATION_NEED,
        0.9,
        (
            r"(?:automatizar|automatice|automatizo|automatizara|automatizarlo|automatizarla|automatizarlos|"
            r"automatizarlas|automatizamos|automaticemos|sistematizar|digitalizar|automatizando) "
            r"(?!con (?:ia|python|inteligencia)$)\S+",
            r"(?:haga|hagan|hiciera|hicieran|responda|respondan|respondiera|conteste|contesten|envie|envien|"
            r"enviara|"
            r"enviaran|genere|generen|generara|mande|manden|mandara|actualice|actualicen|actualizara|"
            r"actualizaran|"
            r"llene|llenen|calcule|calculen|procese|procesen|ordene|ordenen|funcione|corra|carguen|cargue|"
            r"publique|"
            r"publiquen|agende|agenden|clasifique|clasifiquen) "
            r"(?:\S+ ){0,3}(?:solo|sola|solos|solas|automatico|automaticamente|automaticos|automaticas|"
            r"por si solo)",
            r"(?:automaticamente|en automatico|de forma automatica|de manera automatica|en piloto automatico)",
            r"se \S+ (?:\S+ ){0,4}(?:solo|sola|solos|solas|por si solos|por si solas|sin que yo)",
            r"cuando (?:llegue|lleguen|entre|entren|reciba|recibo|recibimos|alguien|un cliente|se registre|"
            r"se llene|"
            r"se venda|haya|me escriba|me escriban|compren|pague|paguen) (?:\S+ ){0,6}(?:se guarde|se guarden|"
            r"se envie|"
            r"se envien|se cree|se creen|se actualice|se anote|se agregue|me avise|le llegue|les llegue|se mande|"
            r"se registre|se pase|se copie|se responda|le responda|les responda|le conteste|reciba)",
            r"(?:cada vez que|siempre que|en cuanto|apenas) (?:\S+ ){0,8}(?:se guarde|se guarden|se envie|se envien|"
            r"se cree|se actualice|se registre|le llegue|les llegue|me llegue|me avise|se mande|reciba|se notifique|"
            r"se genere|se agregue|se anote|quede registrado)",
        ),
    ),
    (
        "automation_capability",
        Intent.AUTOMATION_NEED,
        0.85,
        (
            r"(?:forma|manera|modo|algo) (?:de|para) que (?:\S+ ){0,5}(?:lleguen|llegue|se pasen|se pase|se carguen|"
            r"se cargue|se guarden|se guarde|se envien|se envie|se registren|se registre|se actualicen|se actualice|"
            r"se generen|se genere|aparezcan|aparezca|queden|quede)",
            r"(?:la ia|chatgpt|un bot|la inteligencia artificial|python|un programa|una ia|el bot) (?:me |nos |lo |"
            r"los |"
            r"las )?(?:podria|puede|pueden|podrian|seria capaz de|sera capaz de|ayudaria a|ayuda a) "
            r"(?!reemplaz|quitar|sustituir|desplazar)\S+",
            r"(?:revisar|procesar|responder|contestar|filtrar|leer|clasificar|capturar|llenar|cargar) (?:\S+ )?"
            r"(?:cientos|miles|montones|un monton|decenas|\d{2,}) de",
        ),
    ),
    (
        "automation_adjective",
        Intent.AUTOMATION_NEED,
        0.75,
        (
            r"(?:respuestas?|mensajes?|correos?|emails?|recordatorios?|reportes?|facturas?|notificaciones|avisos|"
            r"envios?|procesos?|publicaciones|seguimientos?) (?:\S+ )?(?:automatic[oa]s?|automatizad[oa]s?)",
        ),
    ),
    ("automation_verb_bare", Intent.AUTOMATION_NEED, 0.7, (r"(?:automatizar|automatizarlo|automatizarla)$",)),
    (
        "automation_time_pain",
        Intent.AUTOMATION_NEED,
        0.88,
        (
            rf"(?:pierdo|perdemos|pierde|pierden|gasto|gastamos|invierto|me paso|nos pasamos|paso|perdiendo|"
            rf"se me van|se nos van|se van|se me va|se nos va|me lleva|nos lleva|me toma|nos toma|me come|"
            rf"me quita|"
            rf"nos quita|me roba|me consume|nos consume|me demora|me tardo) (?:{G3})?(?:horas|tiempo|dias|dia|"
            rf"manana|mananas|tarde|tardes|noche|"
            r"noches|semana|semanas|vida|rato|eternidad|siglos)",
            rf"(?:tardo|tardamos|demoro|demoramos|tarda|tardan) (?:{G2})?(?:horas|mucho|muchisimo|bastante|"
            rf"demasiado|"
            r"dias|una eternidad|siglos|un monton|todo el dia|una vida)",
            rf"(?:tareas?|trabajo|procesos?|cosas|actividades|labores|pasos) (?:{G1})?(?:repetitiv\w*|manual\w*|"
            r"tedios\w*|aburrid\w*|mecanic\w*|rutinari\w*)",
            rf"(?:todo|lo hago|lo hacemos|hacerlo|se hace|todo es|hago|hacemos|llevo|llevamos|se lleva) (?:{G1})?"
            r"(?:a mano|manual|manualmente|en papel|en cuaderno|a puro excel)",
            r"a mano",
            r"manualmente",
            r"(?:copiar y pegar|copio y pego|copiando y pegando|copy paste|copiar pegar)",
            rf"(?:hago|hacemos|armo|armamos|preparo|preparamos|genero|saco|sacamos|actualizo|lleno|relleno|"
            rf"capturo|"
            rf"cargo|paso|paso a mano|reviso|revisamos|respondo|contesto|mando|envio|elaboro|consolido|concilio|"
            rf"registro|organizo|calculo|descargo|hacer|armar|preparar|llenar|generar|actualizar|pasar|capturar|"
            rf"revisar|responder|contestar|haciendo|armando|preparando|llenando|generando|actualizando|revisando|"
            rf"respondiendo|contestando|sacando|cargando|capturando) (?:{G3})?{_TASKS} (?:{G3})?(?:todos los|"
            rf"todas las|cada|diario|"
            r"diariamente|semanal\w*|mensual\w*|a diario|uno por uno|una por una|uno a uno|a mano|manual\w*|"
            r"de \d+ en \d+|horas|repetitiv\w*|cada vez)",
            rf"(?:todos los dias|todas las semanas|cada semana|cada mes|cada dia|a diario|diariamente) (?:{G3})?"
            rf"(?:hago|hacemos|armo|preparo|genero|actualizo|lleno|reviso|respondo|contesto|paso|consolido|"
            r"saco|tengo que)",
            r"(?:es|son|se vuelve|resulta) (?:muy |bien |super |re )?(?:tedios\w*|repetitiv\w*)",
            r"(?:es|son|se vuelve|resulta|me resulta) (?:un |una )?(?:martirio|tortura|pesadilla|dolor de cabeza|"
            r"caos|"
            r"infierno|desastre|lio|relajo|quilombo|despelote|bronca)",
            r"(?:lo mismo|la misma tarea|las mismas tareas) (?:todos los dias|cada dia|una y otra vez|"
            r"cada semana|siempre)",
            rf"(?:los mismos|las mismas|el mismo|la misma) (?:\S+ )?{_TASKS}",
            rf"(?:pasar|copiar|transcribir|pasando|copiando|transcribiendo|vaciar|vaciando|migrar|capturar|"
            rf"capturando|"
            rf"cargar|cargando|bajar|descargar) (?:\S+ ){{0,2}}(?:datos|informacion|numeros|cifras|registros|"
            rf"{_TASKS}) "
            r"(?:de|desde|del) (?:\S+ ){1,4}(?:a|al|en|hacia)",
            r"(?:me|nos) (?:vuelve|vuelven|tiene|tienen) (?:loc[oa]s?|hart[oa]s?|mal|frit[oa]s?)",
        ),
    ),
    (
        "automation_bot_need",
        Intent.AUTOMATION_NEED,
        0.88,
        (
            rf"(?:necesito|quiero|quisiera|busco|me gustaria|queremos|necesitamos|ocupo|ocupamos|como hago|"
            rf"como hacer|como puedo hacer|como crear|como armar|quiero crear|quiero armar|quiero hacer) "
            rf"(?:{G2})?(?:un |una )?(?:bot|chatbot|asistente|agente|sistema|herramienta|flujo|app|aplicacion|"
            r"script|macro|automatizacion|integracion|robot|una ia) (?:\S+ )?(?:que|para|q)",
            r"(?:se puede|se podria|puedo|podria|podemos|se pueden) (?:hacer|crear|armar|programar|montar|tener) "
            r"(?:un |una )?(?:bot|chatbot|asistente|agente|sistema|robot|automatizacion|macro|script|flujo)",
            r"(?:que|algo que|algun programa que|alguna herramienta que|una herramienta que|alguna app que|"
            r"una app que) "
            r"(?:me |nos |les |lo |los |las |se )?(?:ordene|ordenen|organice|organicen|responda|respondan|"
            r"conteste|"
            r"contesten|clasifique|llene|llenen|genere|generen|resuma|procese|registre|actualice|automatice|"
            r"filtre|mande|envie|agende|lea|revise|calcule)",
            r"que (?:la ia|chatgpt|un bot|el bot|python|la inteligencia artificial|un programa|una ia|gemini|"
            r"copilot|claude|un robot|un sistema|el sistema|una app|una herramienta|algo|excel|el excel|mi crm) "
            r"(?:me |nos |les |lo |los |las |le )?(?!va |van |esta |estan |sea |sera |tiene |puede |pueda |debe |"
            r"sabe |"
            r"hace |quita |quite |reemplace |reemplaza )\S+(?:e|en|a|an)(?![a-z])",
            rf"(?:responder|contestar|atender|responda|conteste|atienda|responde|contesta) (?:{G3})?(?:mensajes|"
            r"clientes|consultas|correos|whatsapps?|preguntas|pedidos|dms|mails|comentarios|mensajitos|leads)",
            rf"(?:procesos|flujos|tareas|operaciones|area|trabajo|pasos) (?:{G1})?(?:de|del|en) (?:mi|la|nuestra|"
            r"nuestro|el) (?:\S+ )?" + _BUSINESS,
            r"(?:integrar|conectar|sincronizar|vincular) (?:\S+ ){0,5}(?:crm|sheets|excel|whatsapp|shopify|"
            r"formularios?|"
            r"calendario|correo|gmail|base de datos|sistema|erp|hubspot|woocommerce|mercado libre)",
            r"ahorrar\w* (?:\S+ )?tiempo",
            rf"(?:se puede|puedo|podria|es posible|podemos|sera posible|"
            rf"podrian ayudarme a) (?:{G2})?(?:automatizar\w*|"
            r"hacer con ia|hacerlo con ia|usar ia para|resolver con ia|hacer que se haga solo)",
            rf"(?:usar|utilizar|aplicar|implementar|meter|integrar) (?:la )?(?:ia|inteligencia artificial|"
            rf"chatgpt|"
            rf"chat gpt|bots?|python|automatizacion\w*) (?:{G1})?(?:para|en) (?:{G1})?(?:responder|contestar|"
            rf"atender|"
            rf"generar|llevar|controlar|organizar|procesar|facturar|hacer (?:mis|los|las)|(?:mi|mis|nuestro|"
            rf"nuestra|"
            rf"nuestros|los|las) (?:\S+ )?(?:{_BUSINESS}|{_TASKS}|clientes|ventas|pacientes|alumnos))",
            rf"(?:mi|nuestro|nuestra|el|la) (?:{G1})?{_BUSINESS} (?:{G3})?(?:necesita|necesito|quiero|requiere|"
            r"recibe|recibimos|me llegan|llegan|tiene|tenemos)",
        ),
    ),
    (
        "automation_volume",
        Intent.AUTOMATION_NEED,
        0.82,
        (
            r"(?:un |el |una |la |mi |algun )(?:bot|chatbot|asistente|ia|robot|sistema|programa|"
            r"agente) (?:que )?"
            r"(?:responda|conteste|atienda|responde|contesta|gestione|agende|filtre|clasifique|registre|cobre|"
            r"haga el trabajo|lo haga|los atienda|les responda|les conteste)",
            rf"(?:me|nos) (?:llegan|entran|escriben) (?:{G2})?(?:\d+ )?(?:mensajes|correos|pedidos|consultas|"
            r"solicitudes|facturas|mails|whatsapps|clientes|comentarios)",
            r"(?:recibo|recibimos|tengo|tenemos|contesto|respondo|atiendo|atendemos) (?:muchos|muchisimos|"
            r"cientos de|miles de|"
            r"\d+|un monton de|demasiados|tantos|mil) (?:mensajes|correos|pedidos|consultas|solicitudes|facturas|"
            r"mails|whatsapps|clientes|comentarios|llamadas)",
            r"(?:preguntando|preguntan|responder|respondiendo|contestando|contestar) (?:\S+ )?(?:lo mismo|"
            r"las mismas "
            r"preguntas|las mismas dudas)",
            r"(?:cientos|miles|montones|un monton|un chingo|banda) de (?:mensajes|correos|pedidos|consultas|"
            r"facturas|"
            r"datos|archivos|registros)",
        ),
    ),
    (
        "automation_business",
        Intent.AUTOMATION_NEED,
        0.45,
        (rf"(?:mi|nuestro|nuestra|tengo un|tengo una) (?:{G1})?{_BUSINESS}",),
    ),
    # --- GENERAL_QUESTION: details of a course or of the school.
    (
        "question_price",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"cuanto (?:\S+ )?(?:cuesta|cuestan|sale|salen|vale|valen|cobran|cobras|es(?! \d)|son|seria|serian|"
            r"esta(?! el dolar| el euro| el cambio| el clima)|estan|"
            r"hay que pagar|tengo que pagar|pago|pagaria|invierto|saldria|costaria|queda|me sale|cobrarian|"
            r"seria todo|es todo|es la inversion|cuesta todo)",
            r"precio\w*",
            r"costo(?:s)?(?! de vida)",
            rf"valor (?:{G1})?(?:del|de los|de la|de las|de este|de ese|del curso|total|por)",
            r"tarifa\w*",
            r"mensualidad",
            r"que (?:precio|valor|costo) tiene",
            r"tiene (?:algun )?costo",
            r"(?:la )?inversion (?:es|seria|total|del|de)",
            r"^cuanto$",
            r"en (?:dolares|pesos|soles|euros|usd|mxn|cop|clp|ars)",
            r"cuanto (?:por|al|la|el) (?:mes|curso|programa|modulo|clase|hora)",
            r"(?:que|q) (?:me )?(?:cuesta|sale|vale)",
        ),
    ),
    (
        "question_duration",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"cuanto (?:\S+ ){0,2}(?:dura|duran|demora|demoran|tarda|tardan|toma|lleva|tiempo)",
            r"duracion",
            r"cuantas (?:horas|semanas|sesiones|clases|meses|modulos|lecciones|dias|veces|unidades|horitas)",
            r"cuantos (?:meses|dias|modulos|videos|encuentros|anos|niveles|cursos)",
            r"de cuantas horas",
            r"(?:horas|semanas|meses) (?:dura|son|tiene|lleva)",
            r"(?:dura|duran) (?:mucho|poco|cuanto)",
            r"(?:dura|duran|son|es de) (?:\d+|un|una|dos|tres|cuatro|seis|medio) (?:meses|mes|semanas|semana|"
            r"horas|"
            r"dias|ano|anos|sesiones|clases|modulos)",
            r"(?:cuanto|que) dura",
        ),
    ),
    (
        "question_certificate",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"certificad\w*",
            r"certificacion\w*",
            r"certifican",
            r"diplomas?",
            r"constancia\w*",
            r"titulo\w*",
            r"avalad\w*",
            r"aval",
            r"reconocid\w* (?:por|oficialmente|internacionalmente|en)",
            r"validez",
            r"(?:es|son|tiene) (?:valido|valida|oficial)",
            r"sep",
            r"acreditad\w*",
            r"credencial\w*",
            r"insignia\w*",
        ),
    ),
    (
        "question_modality",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"presencial\w*",
            r"(?:virtual|virtuales)",
            r"en linea",
            r"online",
            r"on line",
            r"a distancia",
            r"remot[oa]s?",
            r"en vivo",
            r"grabad[oa]s?",
            r"grabacion\w*",
            r"asincronic\w*",
            r"sincronic\w*",
            r"a (?:mi|tu|su) (?:propio )?ritmo",
            r"zoom",
            r"google meet",
            r"plataforma",
            r"modalidad\w*",
            r"hibrid[oa]",
            rf"donde (?:son|se dan|serian|es|se imparten|se toman|dan) (?:{G1})?(?:las )?(?:clases|sesiones|"
            rf"curso)",
            r"(?:se puede|se pueden|puedo|pueden) (?:ver|verlas|verlos|repetir) (?:\S+ ){0,2}(?:despues|luego|"
            r"mas tarde|"
            r"cuando quiera|otro dia|en otro momento|en diferido)",
            r"quedan (?:grabadas|disponibles|guardadas|subidas)",
            r"desde (?:casa|el celular|mi celular|el telefono|cualquier pais|otro pais|mi pais)",
            r"(?:se puede|puedo|podria|se podria) (?:hacer|tomar|cursar|estudiar|llevar|ver)(?:lo|la|los)? "
            r"(?:\S+ )?desde \S+",
        ),
    ),
    (
        "question_schedule",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"horario\w*",
            r"que dias",
            r"a que hora\w*",
            r"que hora\w*(?! es)",
            r"cuando (?:empieza|empiezan|inicia|inician|comienza|comienzan|arranca|arrancan|abren|es|son|seria|"
            r"sale|salen|hay|abre|empezaria|inicio|comienzo|comenzaria|arrancaria|seria el inicio|termina)",
            r"fechas?",
            r"calendario",
            r"cronograma",
            r"(?:dias|veces) (?:a|por|en|cada) (?:la )?semana",
            r"inicio de (?:clases|curso|los cursos)",
            r"proxim[oa] (?:grupo|cohorte|edicion|fecha|convocatoria|curso|clase|generacion|camada|inicio|"
            r"apertura)",
            r"(?:los|en|son|hay|solo|clases|curso|sesiones|tambien) (?:\S+ )?(?:fin|fines) de semana",
            r"(?:sabados|domingos|sabado|domingo)",
            r"(?:en la|por la|en las|por las) (?:noche|noches|manana|mananas|tarde|tardes)",
            r"entre semana",
            r"que turno\w*",
            r"(?:empieza|empiezan|inicia|inician|comienza|arranca) (?:pronto|este mes|el proximo|la proxima)",
        ),
    ),
    (
        "question_requirements",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"requisito\w*",
            r"prerrequisito\w*",
            r"requerimiento\w*",
            rf"(?:necesito|hay que|tengo que|se necesita|se necesitan|se requiere|es necesario|debo|deberia|"
            rf"ocupo|"
            rf"hace falta|necesitaria|es obligatorio) (?:{G2})?(?:saber|tener|conocimientos|experiencia|"
            rf"computadora|"
            r"laptop|notebook|pc|instalar|comprar|ingles|matematicas|programar|titulo|estudios|licencia|equipo)",
            r"conocimientos? previos?",
            r"(?:sirve|es|son|funciona|va) (?:\S+ )?para (?:principiantes|novatos|gente sin|alguien sin|"
            r"personas sin|"
            r"alguien que no|gente que no|personas que no|quien no|los que no|alguien que nunca|gente que nunca|"
            r"alguien como yo|personas mayores|gente mayor|ninos|jovenes|adolescentes)",
            r"(?:apto|apta|aptos) para",
            r"(?:es|son|sera|seria) (?:muy |tan |demasiado )?(?:dificil|dificiles|complicad[oa]s?|facil|faciles|"
            r"pesad[oa]s?"
            r"|exigente)(?: el curso| los cursos| el programa| las clases| aprender)?",
            r"edad (?:minima|maxima|limite)",
            r"(?:que edad|limite de edad|hay edad)",
            r"(?:en|es en|son en) (?:ingles|espanol)",
            r"idioma",
            rf"(?:puedo|se puede|pueden) (?:{G2})?(?:si no se|sin saber|sin experiencia|sin conocimientos|"
            rf"sin ser|"
            r"si no tengo|aunque no se|si soy de otro pais|desde otro pais)",
            r"(?:no se|nunca he|no he|nunca) (?:\S+ ){0,2}(?:programar|programado|nada de programacion|"
            r"codigo)(?: puedo| sirve| es| podria)",
        ),
    ),
    (
        "question_audience",
        Intent.GENERAL_QUESTION,
        0.7,
        (
            r"para (?:alguien|gente|personas|principiantes|novatos|una persona) (?:sin|que no|que nunca|como yo|"
            r"de mi edad)",
        ),
    ),
    (
        "question_teachers",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            rf"(?:quien|quienes) (?:{G2})?(?:da|dan|imparte|imparten|dicta|dictan|ensena|ensenan|guia|guian|"
            r"daria|darian|impartiria|seria mi|seria el profesor|seria el instructor)",
            r"(?:quien|quienes) (?:es|son|seria|serian) (?:el|la|los|las|mi|mis|sus) (?:profe\w*|instructor\w*|"
            r"docente\w*|tutor\w*|mentor\w*|maestr\w*)",
            r"(?:los|las|sus|tus|que) (?:profesores|profesoras|profes|docentes|instructores|instructoras|mentores|"
            r"tutores|facilitador\w*|ponentes|expositores|capacitadores)",
            r"(?:el|la|que|su) (?:profesor|profesora|profe|docente|instructor|instructora|mentor|tutor|ponente) "
            r"(?:es|son|tiene|da|sabe|viene|trabaja|habla|seria|del curso|de la clase|de ese|de este)",
            r"(?:experiencia|trayectoria|perfil) (?:de|tienen) (?:los|el|la|sus) (?:profesores|instructores|"
            r"docentes|"
            r"profe|mentores)",
        ),
    ),
    (
        "question_content",
        Intent.GENERAL_QUESTION,
        0.86,
        (
            r"temario",
            r"contenido (?:del|de los|de la|de ese|de este)",
            r"contenidos",
            r"programa (?:del|de estudios|academico|completo)",
            r"plan de estudios",
            r"syllabus",
            r"modulos",
            r"que (?:ensenan|ven|se ve|se aprende) en (?:el|ese|este|los|esos|estos) (?:curso|cursos|programa|"
            r"diplomado|"
            r"bootcamp|taller|modulo)",
            r"que (?:temas|incluye|incluyen|trae|traen|se ve|se ven|ven|veo|voy a aprender|aprendo|"
            r"aprenderia|se aprende|abarca|abarcan|cubre|cubren|tocan|contiene|contienen|tiene el curso|"
            r"aprendere|vamos a ver|voy a ver|herramientas|lenguajes|programas usan|software)",
            rf"(?:incluye|incluyen|trae|traen|tiene|tienen|dan|hay) (?:{G2})?(?:proyectos|practicas|ejercicios|"
            r"material|acceso|soporte|tutorias|mentoria\w*|certificado|bonos|bonus|tareas|examenes|evaluaciones|"
            r"comunidad|seguimiento|clases en vivo|sesiones en vivo|grabaciones)",
            r"de que (?:trata|se trata|va|es|son)",
            r"(?:es|son) (?:muy )?(?:practic[oa]s?|teoric[oa]s?)",
            r"proyectos reales",
            r"(?:usan|utilizan|se usa|se usan|ven|manejan|trabajan con|incluyen|ensenan) (?:\S+ ){0,3}en (?:el|"
            r"los|este|ese|"
            r"las) (?:curso|cursos|programa|diplomado|bootcamp|clases)",
            r"(?:los )?grupos (?:son|de cuantos|de cuantas|reducidos|pequenos|grandes)",
            r"(?:cuantos|cuantas) (?:por grupo|personas por|alumnos por|estudiantes por)",
            r"(?:sirve|funciona|puedo usar|se puede con|sirven|jala|corre) (?:\S+ ){0,3}(?:mac|windows|linux|"
            r"tablet|ipad|"
            r"chromebook|celular|macbook)",
            r"(?:tengo|con) (?:una |un )?(?:mac|macbook|tablet|ipad|chromebook|pc vieja|computadora vieja|"
            r"laptop vieja)",
            r"que (?:lenguaje|lenguajes|herramienta|herramientas|software|programa|programas|librerias|"
            r"tecnologias|"
            r"plataformas?|apps|aplicaciones|modelos) (?:\S+ ){0,3}(?:ensenan|usan|se usan|se ven|ven|utilizan|"
            r"manejan|"
            r"aprendo|voy a aprender|se aprenden|trabajan|se trabajan|veremos|incluye)",
            r"(?:hay|tiene|tienen|incluye|hacen|toman|habra) (?:\S+ )?(?:examen\w*|evaluacion\w*|proyecto final|"
            r"trabajo final|calificacion\w*|pruebas)",
            r"que nivel",
            r"nivel (?:basico|intermedio|avanzado|del curso|de los cursos|requerido)",
            r"(?:es|son) (?:para|de) (?:nivel|principiante\w*|avanzad\w*|basico)",
        ),
    ),
    (
        "question_school",
        Intent.GENERAL_QUESTION,
        0.84,
        (
            r"(?:son|es|sera|seran) (?:\S+ )?(?:confiables?|seguros?|legales?|una estafa|estafa|reales?|serios?|"
            r"legit\w*|fiables?)",
            r"(?:opiniones|resenas|testimonios|referencias|calificaciones)",
            rf"donde (?:estan|quedan|se ubican|se encuentran|son|queda|esta) (?:{G1})?(?:ubicad\w*|ustedes|"
            rf"la escuela|"
            r"las oficinas|la sede|la academia|el instituto)?",
            r"ubicad\w*",
            r"ubicacion",
            r"sede\w*",
            r"(?:bolsa|bolsas) de (?:trabajo|empleo)",
            rf"(?:ayudan|apoyan|ayudarian|dan apoyo|ofrecen ayuda) (?:{G2})?(?:conseguir|encontrar|buscar|"
            rf"colocar\w*|"
            r"insertar\w*|ubicar\w*) (?:\S+ )?(?:trabajo|empleo|chamba|practicas|pasantias)",
            r"garantia\w*",
            r"reembolso\w*",
            r"devolucion\w*",
            r"(?:me |nos )?devuelven (?:el|mi) dinero",
            r"acceso (?:de por vida|ilimitado|al material|a las grabaciones|a la plataforma|vitalicio)",
            r"por cuanto tiempo (?:tengo|tendre|tendria|queda) acceso",
            r"soporte",
            r"tutoria\w*",
            r"mentoria\w*",
            r"(?:cuantos|cuantas) (?:alumnos|estudiantes|personas|egresados) (?:por|hay|tienen|han)",
            r"(?:empresa|escuela|academia|institucion|instituto) (?:registrada|reconocida|seria|formal)",
            r"(?:tienen|hay) (?:pagina web|sitio web|redes|instagram|facebook|pagina)",
            r"(?:pagina|sitio) web",
            r"(?:si|y si) no me gusta",
            rf"(?:y )?si (?:no puedo|me pierdo|falto|no llego|no me puedo conectar|no asisto) (?:{G2})?(?:clase|"
            rf"clases|"
            r"sesion|sesiones|en vivo|conectar\w*|asistir)",
            r"(?:recuperar|reponer) (?:\S+ )?(?:clase|clases|sesion|sesiones)",
            r"(?:puedo|se puede) cancelar",
            r"(?:cupo|cupos) (?:maximo|limitado)",
        ),
    ),
    (
        "question_course_info",
        Intent.GENERAL_QUESTION,
        0.8,
        (
            r"(?:como|que tal) (?:es|son|funciona|funcionan) (?:el|los|la|las|ese|este|sus) (?:curso|cursos|"
            r"clases|"
            r"programa|diplomado|bootcamp|taller|metodologia|dinamica|sesiones)",
            r"metodologia",
            r"(?:diferencia|diferencias) (?:\S+ ){0,2}(?:entre|con)",
            r"(?:en que|que) (?:se diferencia|cambia)",
            r"como (?:son|funcionan|se dan|se dictan|se imparten) las clases",
            r"como funciona",
        ),
    ),
    (
        "question_course_detail",
        Intent.GENERAL_QUESTION,
        0.8,
        (
            r"(?:el|ese|este|los|esos|estos) (?:curso|cursos|programa|diplomado|bootcamp|"
            r"taller) (?:de \S+ (?:\S+ )?)?"
            r"(?:usa|utiliza|usan|es|son|tiene|tienen|incluye|incluyen|ensena|cubre|requiere|sirve|trae|lleva|"
            r"viene|"
            r"da|ofrece|cuenta con|se enfoca|ve|toca|maneja|trabaja con|esta)",
        ),
    ),
    (
        "question_generic",
        Intent.GENERAL_QUESTION,
        0.55,
        (
            r"tengo (?:una|unas|otra|varias|algunas) (?:duda|dudas|pregunta|preguntas|consulta|consultas)",
            r"una (?:consulta|pregunta|duda)",
            r"(?:queria|quisiera|quiero|puedo|podria) (?:hacer )?(?:una )?(?:pregunta|consulta)",
            rf"(?:el|ese|este|los|esos|estos) (?:curso|cursos|programa|diplomado|bootcamp|taller) (?:{G3})?"
            r"(?:es|son|tiene|tienen|incluye|sirve|sirven|dura|da|ofrece|cuenta|lleva)",
        ),
    ),
    # --- EXPLORATION: what courses exist, what to study.
    (
        "explore_catalog",
        Intent.EXPLORATION,
        0.88,
        (
            rf"(?:que|cuales|cual|q|que tipo de|que clase de|que otros|que otras) (?:{G1})?(?:cursos|programas|"
            r"diplomados|talleres|bootcamps|carreras|opciones|formaciones|capacitaciones|especializaciones|"
            r"certificaciones|clases dan|areas|temas manejan)",
            rf"(?:cursos|programas|opciones|diplomados|talleres|formaciones) (?:{G1})?(?:tienen|hay|ofrecen|dan|"
            r"manejan|disponibles|tenes|tienes|tenis|imparten|estan abiertos|abiertos|actuales|vigentes)",
            rf"(?:tienen|hay|ofrecen|dan|manejan|tenes|tienes|tendran|tendras|existe|existen|imparten|dictan) "
            rf"(?:{G2})?(?:curso|cursos|programa|programas|diplomado|diplomados|taller|talleres|bootcamp|"
            r"capacitacion|capacitaciones|formacion|especializacion|algo) (?:de|para|sobre|en|que|con|"
            r"relacionado)",
            r"catalogo",
            r"oferta (?:academica|educativa|de cursos|formativa)",
            r"(?:lista|listado|todos los|menu|portafolio) (?:de )?cursos",
            r"(?:ver|conocer|revisar|mirar|checar|chequear|echar un vistazo a) (?:los|sus|todos los|todos sus) "
            r"(?:cursos|programas|diplomados)",
            r"(?:que|q) (?:tienen|hay|ofrecen|manejan) (?:de nuevo|nuevo|disponible|para mi|para este mes|este mes|"
            r"ahora|actualmente|por ahora)",
            r"(?:que|q) (?:ensenan|ofrecen|imparten|dictan)",
            rf"(?:busco|buscando|estoy buscando|ando buscando) (?:{G1})?(?:un |algun |una )?(?:curso|programa|"
            r"capacitacion|formacion|diplomado|bootcamp|algo para aprender|donde aprender)",
            rf"(?:algun|un) (?:{G1})?(?:curso|programa|diplomado|taller) (?:de|para|sobre|en|que|con)",
            r"(?<!el )(?<!ese )(?<!este )(?:cursos|curso) (?:de|sobre|en|para)",
            r"sobre que (?:son|es|tratan)",
            r"(?:que|q) (?:cursos|curso)",
            r"^(?:los |sus )?(?:cursos|curso|programas|diplomados|talleres|catalogo)(?: de \S+)?$",
        ),
    ),
    (
        "explore_recommend",
        Intent.EXPLORATION,
        0.88,
        (
            r"recomiend\w*",
            r"recomendac\w*",
            r"recomendar\w*",
            r"recomendas",
            r"sugier\w*",
            r"sugerenc\w*",
            r"aconsej\w*",
            r"orientac\w*",
            r"(?:me )?(?:puedes|pueden|podrias|podrian) (?:orientar|guiar|ayudar a (?:elegir|escoger|decidir))",
            rf"(?:que|cual|cuales) (?:{G2})?(?:me conviene|me sirve|me serviria|es mejor|seria mejor|"
            rf"deberia (?:tomar|"
            r"estudiar|aprender|hacer|elegir)|es para mi|elijo|me va mejor|tomo|hago|escojo|me queda mejor|"
            r"me viene mejor|seria bueno|sirve mas)",
            rf"por (?:donde|cual|que) (?:{G1})?(?:empiezo|empezar|empezaria|arranco|arrancar|comienzo|comenzar|"
            r"comenzaria|inicio|iniciar|me conviene empezar)",
            rf"no se (?:que|cual|por donde|como|si) (?:{G2})?(?:estudiar|aprender|elegir|tomar|empezar|escoger|"
            r"curso|arrancar|comenzar)",
            r"me ayudas a (?:elegir|escoger|decidir)",
            r"(?:estoy|ando) (?:perdid[oa]|indecis[oa]|confundid[oa]|entre)",
            rf"(?:cual|que) (?:{G1})?(?:es el mejor|me recomiendan|es el mas|me sirve mas|es mas util)",
            r"(?:por donde|como) (?:empiezo|empezar|arranco|inicio|comienzo)",
        ),
    ),
    (
        "explore_learn",
        Intent.EXPLORATION,
        0.85,
        (
            rf"(?:quiero|quisiera|me gustaria|deseo|necesito|busco|me encantaria|tengo ganas de|"
            rf"estoy pensando en|"
            rf"pienso|planeo|me interesaria|queria|quiero empezar a|me llama la atencion|estoy interesad[oa] en|"
            rf"me interesa|queremos|me animo a|estoy buscando|ando buscando|necesitamos|mi meta es|"
            rf"mi objetivo es|"
            rf"voy a|empezar a|quiero comenzar a|quiero empezar a) (?:{G2})?(?:aprender|estudiar|capacitarme|"
            rf"formarme|especializarme|actualizarme|prepararme|saber (?:mas )?(?:de|sobre)|conocer|meterme en|"
            rf"entrar al mundo|incursionar|mejorar en|dominar|iniciar en|empezar (?:con|en)|certificarme|"
            rf"aprender a|aprender sobre|profundizar|capacitar|capacitarnos|entender|manejar|usar|aprovechar|"
            rf"sacarle provecho|dar mis primeros pasos|adentrarme)",
            r"(?<!no )me interesa\w*",
            r"(?<!no )me interesaria",
            r"interesad[oa]s? en",
            r"me llama (?:mucho )?la atencion",
            rf"(?:quiero|quisiera|me gustaria|queria) (?:saber|conocer) (?:{G1})?(?:de|sobre|acerca de|"
            rf"que) (?:{G1})?"
            r"(?:los |sus |la )?(?:cursos|programas|ustedes|la escuela|escuela|academia|ofrecen|tienen|hacen)",
            r"(?:aprender|estudiar) (?:\S+ ){0,3}(?:desde cero|de cero|desde 0)",
            r"(?:soy|estoy) (?:nuev[oa]|principiante|novat[oa]) en (?:esto|el tema|la ia|programacion)",
            r"me (?:apasiona|encanta|gusta) (?:la |el )?(?:tecnologia|programacion|ia|inteligencia artificial|"
            r"computacion|tema)",
            r"quiero (?:saber|conocer) mas",
            r"de que (?:tratan|son) (?:sus|los) cursos",
            r"que (?:puedo|podria|deberia) (?:estudiar|aprender|hacer|tomar)",
            r"que me (?:sirve|serviria|ayudaria)",
        ),
    ),
    (
        "explore_info",
        Intent.EXPLORATION,
        0.78,
        (
            r"informacion",
            r"(?:detalles|mas datos|datos de los cursos|mas detalles)",
            r"(?:quiero|quisiera|me gustaria) (?:saber|conocer)",
            r"(?:me |nos )?(?:pueden|puedes|podrian|podrias) (?:dar|pasar|mandar|enviar|compartir|explicar) "
            r"(?:\S+ )?(?:informacion|detalles|opciones|mas)",
            r"(?:sobre|de|acerca de) (?:los|sus) (?:cursos|programas|diplomados|talleres)",
            r"(?:me |nos )?(?:explicas|explican|expliquen|explique|expliques|cuentas|cuentan|cuenten|cuentes|"
            r"comentas|"
            r"comentan|comenten|informen|informes|informan) (?:\S+ ){0,2}(?:cursos|como funciona|"
            r"que tienen|que hacen|de que se trata|las opciones|sobre)",
            r"(?:vi|mire|encontre|me salio) (?:\S+ ){0,3}(?:anuncio|publicacion|publicidad|post|video|reel|"
            r"pagina|"
            r"instagram|facebook|tiktok)",
            r"(?:por|del|en el|en su) (?:anuncio|publicacion|publicidad|reel)",
        ),
    ),
    (
        "explore_what_is",
        Intent.EXPLORATION,
        0.62,
        (
            r"(?:que es|para que sirve|como funciona|que se puede hacer con|en que consiste|para que me sirve) "
            r"(?:\S+ )?(?:ia|inteligencia|machine|python|chatgpt|data|datos|la ia|programar|programacion|"
            r"automatizacion|no code|power bi|excel|sql)",
        ),
    ),
    # --- OFF_TOPIC cues: clearly unrelated content. Weaker than any course cue.
    (
        "offtopic_smalltalk",
        Intent.OFF_TOPIC,
        0.72,
        (
            r"futbol\w*",
            r"(?:el|del|un) partido",
            r"goles?",
            r"mundial",
            r"(?:messi|ronaldo|cristiano|maradona|neymar|mbappe|real madrid|barca|boca juniors|river plate|"
            r"club america|chivas|millonarios|colo colo|atletico nacional|champions)",
            r"clima",
            r"lluvia",
            r"(?:va a|va a seguir) llover",
            r"llover\w*",
            r"(?:hace|hara|que) (?:mucho )?(?:calor|frio)",
            r"temperatura",
            r"chistes?",
            r"(?:cuentame|dime|contame|echate) (?:un|algo) (?:chiste|cuento|gracioso)",
            r"receta\w*",
            r"cocinar",
            r"(?:pizza|tacos|empanadas|asado|arepas|hamburguesa|sushi|pollo|cena|almuerzo|desayuno)",
            r"(?:mi |tu |su )?(?:novia|novio|esposa|esposo|ex novia|ex novio|crush|pareja) (?:me|te|no|esta|se)",
            r"(?:pelicula|peliculas|netflix|serie|series|anime|telenovela|cancion|canciones|musica|concierto|"
            r"spotify)",
            r"horoscopo",
            r"(?:signo|signos) zodiacal\w*",
            r"(?:presidente|politica|elecciones|gobierno|congreso|diputado|senador)",
            r"(?:loteria|quiniela|apuesta|apuestas|casino)",
            r"(?:mi|tu|el|un) (?:perro|gato|mascota|perrito|gatito)",
            r"(?:vacaciones|playa|viaje a|viajar a|vuelo|hotel en)",
            r"(?:cumpleanos|fiesta|carrete|parranda|peda|rumba|boda)",
            r"(?:cerveza|chela|birra|vino|tequila|fernet|pisco|guaro)",
            r"(?:ayuda|ayudame|ayudarme|hazme|resuelve|resolver) (?:\S+ ){0,2}(?:tarea|deberes|ejercicio de "
            r"matematicas|examen|ecuacion|ensayo|exposicion)",
            r"(?:tarea de|deberes de|examen de) (?:matematicas|historia|fisica|quimica|biologia|geografia|ingles|"
            r"lengua|literatura|filosofia)",
            r"capital de",
            r"que hora es",
            r"cuanto (?:es|da|son) \d[\d+*/x -]*$",
            r"(?:numero equivocado|me equivoque de numero|equivocad[oa] de chat|chat equivocado|me equivoque|"
            r"mensaje equivocado|se me fue el mensaje|mande mal)",
            r"(?:era|es|iba) para otr[oa] (?:persona|chat|contacto|numero|grupo)",
            r"(?:eres|sos|estas) (?:mujer|hombre|casad[oa]|solter[oa]|guap[oa]|lind[oa]|bonit[oa]|fe[oa]|novi[oa]|"
            r"chica|chico|bien guap[oa])",
            r"(?:recomendar|recomiendas|recomiendan|recomiendes|sabes de|conoces|"
            r"sabe de) (?:\S+ ){0,2}(?:restaurante|"
            r"bar|hotel|doctor|dentista|medico|pelicula|serie|libro|cancion|lugar para|playa|celular|abogado|"
            r"plomero|mecanico|taxi|tienda de)",
            r"(?:envios|envio|entregas|delivery|entrega) (?:a|al|hasta) (?:domicilio|casa|mi casa)",
            r"(?:hacen|tienen|hay) (?:envios|delivery|servicio a domicilio)",
            r"(?:se me perdio|perdi|me robaron|se me rompio|se me cayo) (?:el|mi|la) (?:celular|telefono|cartera|"
            r"billetera|llaves|perro|gato)",
            r"(?:venden|vendes|tienen|tenes) (?:\S+ )?(?:ropa|zapatos|celulares|tenis|comida|carros|autos|casas|"
            r"perfumes|maquillaje)",
            r"(?:dolor de|me duele|estoy enfermo|tengo gripe|fiebre)",
            r"(?:el dolar|tipo de cambio|criptomonedas)",
            r"(?:tu|su|tus|sus) (?:fin de semana|dia|semana|vacaciones|familia|novia|novio|edad|signo|color)",
            r"(?:prestas|prestar|presta|prestame|prestan|prestarme|fiar|fias) (?:\S+ ){0,2}(?:dinero|plata|lana|"
            r"\d+|pesos|"
            r"dolares|luca|lucas|feria|varo)",
            r"(?:gana|ganar|gane|invierte|invertir en) (?:\S+ ){0,2}(?:\d+ dolares|\d+ pesos|dinero facil|"
            r"bitcoin|cripto\w*|"
            r"desde casa sin)",
            r"(?:poema|cancion|cuento) (?:de|para|sobre)",
            r"(?:quien gano|quien gana|resultado del)",
            r"(?:juega|juegan|jugara|jugaran|pelea|corre el|toca la banda|es el concierto)",
            r"(?:juego|videojuego|play|xbox|fortnite|minecraft|free fire)",
            r"(?:compro|comprar|consigo|conseguir|venden|vendes|vendo|cambio|reparan|arreglan) (?:\S+ ){0,2}"
            r"(?:laptops?|computadoras?|celulares|celular|telefonos?|zapatos|ropa|tenis|carros?|autos?|motos?|casas?|"
            r"departamentos?|boletos|entradas|comida|iphones?|perros?|gatos?|muebles)",
            r"(?:este es|es este|es el) (?:el )?numero (?:de|del)(?! la escuela| la academia| los cursos| ustedes|"
            r" informes| atencion| ventas| un asesor)",
            r"(?:a que hora|cuando|hasta que hora) (?:abre|cierra|abren|cierran|atiende el|atienden en)",
            r"(?:vacantes?|ofertas?|puestos?) de (?:trabajo|empleo)",
            r"(?:mejor|buen|buena|barato|barata|nuevo|nueva) (?:celular|telefono|laptop|computadora|carro|auto|"
            r"televisor|"
            r"tele|tv|refri|lavadora|moto|perfume|restaurante|pelicula|serie|libro|cancion|equipo de futbol|"
            r"marca de)",
            r"(?:estan|estas) contratando",
            r"buscan personal",
            r"(?:busco|buscan|necesitan|hay|ofrecen|tienen|dan) (?:\S+ )?(?:trabajo|empleo|chamba|"
            r"vacantes?) (?:de|para) "
            r"(?:limpieza|mesero|chofer|repartidor|cajero|guardia|vendedor|seguridad|cocina|mantenimiento)",
            r"(?:horoscopo|tarot)",
        ),
    ),
    (
        "offtopic_insult",
        Intent.OFF_TOPIC,
        0.8,
        (
            r"(?:idiota|idiotas|estupid[oa]s?|tont[oa]s?|pendej[oa]s?|pelotud[oa]s?|huevon\w*|weon\w*|gilipollas|"
            r"imbecil\w*|mierda|puta|puto|putos|cabron\w*|culero\w*|carajo|verga|pinche|malditos?|inutil\w*|"
            r"basura|estafadores|ladrones|chupala|chinga\w*|conchetumare|hdp|ctm|ptm|csm|mamahuevo|gonorrea|"
            r"malparid[oa]|hijueputa|coño|marica|maricon|boludo|boludos|forro|forros)",
        ),
    ),
)


@lru_cache(maxsize=1)
def _rules() -> tuple[Rule, ...]:
    return tuple(Rule(name, intent, weight, _compile(alts)) for name, intent, weight, alts in _RULE_TABLE)


# Words that may surround a greeting without adding meaning ("hola, buenas tardes, ¿cómo
# están? espero que bien"). Name words after "soy"/"me llamo" are handled separately.
GREETING_FILLER: frozenset[str] = _word_set(
    """
    hola buenas buenos buen dia dias tardes noches saludos saludo hey hi hello que tal onda hubo quiubo
    quiubole como estas esta estan estamos andas andan anda va todo bien bueno muy amigo amiga amigos
    amigas che parce parcero parcera tio tia wey guey compa bro hermano hermana mano crack chicos chicas
    gente equipo senor senora senorita joven mae pana oye oigan mira disculpa disculpe perdon gracias
    por favor un una cordial espero se encuentren encuentres encuentre y a todos todas ustedes usted tu
    vos la el los las de desde aqui aca soy me llamo mi nombre es les te escribe escribo habla con epa ey
    alo ok jaja muchas mucho gusto placer encantado encantada igualmente chao adios bye nos vemos hasta
    luego pronto en lo del al ahi feliz lindo linda bonito excelente genial cuenta cuentame cuenten
    cordiales atentamente muchachos pues o sea ps weon po pe pes nomas no si sii claro orale quien
    estimados estimado estimada hoy tardecita nochecita diita saludito mas qubo bienvenido
    alla buen dia dios bendiga bendiciones
    """
)
_GREETING_WORD = re.compile(
    r"(?<![a-z])(?:hola|buenas|buenos dias|buen dia|buenas tardes|buenas noches|saludos|hello|hi|hey|"
    r"quiubo|quiubole|epa|alo|que onda|que tal|que hubo|que mas|buenas buenas)(?![a-z])"
)
_GREETING_START = re.compile(r"^(?:que onda|que tal|que hubo|que mas|ey|epa|alo|oe|oye)(?![a-z])")
_FAREWELL = re.compile(r"(?<![a-z])(?:chao|chau|adios|bye|nos vemos|hasta luego|hasta pronto)(?![a-z])")
_INTRO = re.compile(
    r"(?:^|(?<= ))(?:soy|me llamo|mi nombre es|habla|aqui|les escribe|te escribe|les saluda|te saluda|"
    r"mi nombre|les habla|te habla)(?= |$)"
)
_PLACE_INTRO = re.compile(r"(?:^|(?<= ))(?:de|desde)(?= )")
_COURTESY_ONLY = re.compile(
    r"^(?:ok|vale|gracias|muchas gracias|mil gracias|perfecto|genial|listo|entendido|dale|va|sale|"
    r"excelente|bueno|super|buenisimo|de acuerdo|okay|claro|ah ok|ya|bien|orale|bacan|chevere|"
    r"joya|guay|gracias por la informacion|gracias por todo|ok gracias|vale gracias|dale gracias|"
    r"listo gracias|perfecto gracias|genial gracias|super gracias|muchisimas gracias)(?: \S+)?$"
)


def _name_and_place_positions(tokens: list[str]) -> set[int]:
    """Token positions holding the name or home town of a self-introduction."""
    text = " ".join(tokens)
    positions: set[int] = set()
    for match in _INTRO.finditer(text):
        first = len(text[: match.end()].split())
        positions.update(range(first, first + 3))  # a name is at most three words
    for match in _PLACE_INTRO.finditer(text):
        first = len(text[: match.end()].split())
        positions.update(range(first, first + 2))  # "de Bogotá", "desde Buenos Aires"
    return positions


def _leftover_after_greeting(tokens: list[str]) -> int:
    """How many words are neither greeting filler nor the name/place of an introduction."""
    skipped = _name_and_place_positions(tokens)
    return sum(1 for index, token in enumerate(tokens) if index not in skipped and token not in GREETING_FILLER)


def greeting_score(tokens: list[str]) -> tuple[float, str | None]:
    """Evidence that the message is only a greeting or a self-introduction."""
    text = " ".join(tokens)
    if _GREETING_WORD.search(text) or _GREETING_START.search(text):
        rule = "greeting"
    elif _INTRO.match(text):
        rule = "self_introduction"
    elif _FAREWELL.search(text):
        rule = "farewell"
    else:
        return 0.0, None
    leftover = _leftover_after_greeting(tokens)
    if leftover <= 1:
        return 0.95, rule
    if leftover <= 3:
        return 0.85, rule
    if leftover <= 5:
        return 0.65, rule
    return 0.5, rule


# ---------------------------------------------------------------------------------
# Classifier
# ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _corrector() -> SpellingCorrector:
    words_in_rules: set[str] = set()
    stems: set[str] = set()
    for _, _, _, alternatives in _RULE_TABLE:
        for alternative in alternatives:
            # Whole words only: a stem followed by \w* or a group is not a word.
            words_in_rules.update(re.findall(r"(?<![a-zñ\\])[a-zñ]{4,}(?![a-zñ\\(\[])", alternative))
            for stem in re.findall(r"(?<![a-zñ\\])([a-zñ]{3,})\[oa\]", alternative):
                words_in_rules.update({f"{stem}o", f"{stem}a", f"{stem}os", f"{stem}as"})
            stems.update(re.findall(r"(?<![a-zñ\\])([a-zñ]{5,})\\w\*", alternative))
    abbreviation_words = {word for value in ABBREVIATIONS.values() for word in value.split()}
    vocabulary = sorted(words_in_rules | set(EXTRA_VOCABULARY) | abbreviation_words)
    protected = sorted(COMMON_WORDS | GREETING_FILLER | _topic_words())
    return SpellingCorrector(vocabulary, protected, stems)


def _topic_words() -> set[str]:
    return {word for synonyms in TOPIC_SYNONYMS.values() for phrase in synonyms for word in phrase.split()}


def _replace_emoji(text: str) -> str:
    for emoji, word in EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, f" {word} ")
    return text


def canonical_tokens(text: str) -> list[str]:
    """The message as the rules see it: normalised, abbreviations expanded, typos fixed."""
    corrector = _corrector()
    result: list[str] = []
    for raw_token in normalize(_replace_emoji(text)).split():
        token = raw_token.replace("ñ", "n")  # rules are written without ñ: "manana", "anos"
        if token in ABBREVIATIONS:
            result.extend(ABBREVIATIONS[token].split())
        elif _LAUGH.match(token):
            result.append("jaja")
        else:
            result.append(corrector.correct(token))
    return result


@dataclass
class _Evidence:
    """What the rules found in one message."""

    tokens: list[str]
    canonical: str
    has_topic: bool
    has_tech_topic: bool
    scores: dict[Intent, float] = field(default_factory=dict)
    matched: list[str] = field(default_factory=list)

    def add(self, name: str, intent: Intent, weight: float) -> None:
        """Strongest cue wins, each corroborating cue adds a little."""
        self.matched.append(name)
        previous = self.scores.get(intent)
        self.scores[intent] = weight if previous is None else min(0.97, max(previous, weight) + 0.03)


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# Topics named by words that mean little else ("python", "IA", "excel"). Topics such as
# "ventas" or "salud" are matched by everyday words ("comercial", "hospital") that alone
# do not show interest in a course.
TECH_TOPICS: frozenset[str] = frozenset(
    {
        "inteligencia artificial",
        "automatización",
        "excel",
        "machine learning",
        "deep learning",
        "python",
        "programación",
        "análisis de datos",
        "ciencia de datos",
        "chatbots",
        "ia generativa",
        "visión por computadora",
        "nlp",
        "ciberseguridad",
        "cloud",
        "sql",
        "no-code",
        "marketing",
    }
)


def _collect_evidence(text: str, tokens: list[str]) -> _Evidence:
    canonical = " ".join(tokens)
    # Topics are looked up in the corrected text and in the original (which keeps "ñ").
    topics = set(extract_topics(canonical)) | set(extract_topics(text))
    evidence = _Evidence(tokens, canonical, bool(topics), bool(topics & TECH_TOPICS))
    for rule in _rules():
        if rule.pattern.search(canonical):
            evidence.add(rule.name, rule.intent, rule.weight)
    if _EMAIL.search(text):
        # Normalising drops "@", so an e-mail address is only visible in the raw text.
        evidence.add("contact_email_given", Intent.CONTACT_REQUEST, 0.8)
    _add_topic_evidence(evidence)
    return evidence


_WANTS = re.compile(
    r"(?<![a-z])(?:quiero|busco|necesito|me gustaria|quisiera|me interesa|algo de|sobre|tienen|hay)(?![a-z])"
)


def _add_topic_evidence(evidence: _Evidence) -> None:
    """A subject of study on its own ("python?", "algo de IA") is a weak exploration cue."""
    if not evidence.has_topic:
        return
    if _WANTS.search(evidence.canonical):
        evidence.add("explore_topic_wanted", Intent.EXPLORATION, 0.72 if evidence.has_tech_topic else 0.6)
    elif evidence.has_tech_topic:
        evidence.add("explore_topic_mention", Intent.EXPLORATION, 0.5)


# Cues that only say "tell me / recommend me / I want to learn" without saying what:
# next to an off-topic subject ("me recomiendas una película") they are not about courses.
GENERIC_RULES: frozenset[str] = frozenset(
    {
        "explore_recommend",
        "explore_learn",
        "explore_info",
        "question_generic",
        "buy_want",
        "price_discount",
        "question_price",
        "question_schedule",
        "question_duration",
        "career_lost_job",
    }
)
_COURSE_CONTEXT = re.compile(
    r"(?<![a-z])(?:curso|cursos|clase|clases|programa|diplomado|taller|bootcamp|escuela|academia|"
    r"certificado|ustedes|inscri\w*)(?![a-z])"
)


def _drop_generic_cues_off_topic(evidence: _Evidence) -> None:
    """With an off-topic subject and no course subject, generic request verbs prove nothing."""
    if Intent.OFF_TOPIC not in evidence.scores or evidence.has_topic or _COURSE_CONTEXT.search(evidence.canonical):
        return
    fired = [rule for rule in _rules() if rule.name in evidence.matched]
    for intent in {rule.intent for rule in fired if rule.name in GENERIC_RULES}:
        if all(rule.name in GENERIC_RULES for rule in fired if rule.intent == intent):
            del evidence.scores[intent]


# Someone searching ("busco un curso online de excel") states a preference, not a
# question about an existing course: the modality or schedule words do not make it one.
_SEARCHING = re.compile(
    r"(?<![a-z])(?:busco|buscando|quiero aprender|me gustaria aprender|quisiera aprender|estoy buscando)(?![a-z])"
)
_PREFERENCE_RULES = frozenset({"question_modality", "question_schedule"})


def _demote_stated_preferences(evidence: _Evidence) -> None:
    if Intent.EXPLORATION not in evidence.scores or not _SEARCHING.search(evidence.canonical):
        return
    question_rules = {name for name in evidence.matched if name.startswith("question_")}
    if question_rules and question_rules <= _PREFERENCE_RULES:
        evidence.scores.pop(Intent.GENERAL_QUESTION, None)


def _apply_greeting(evidence: _Evidence) -> None:
    """A greeting only counts when nothing about courses was said alongside it."""
    score, rule = greeting_score(evidence.tokens)
    if rule is None:
        return
    evidence.matched.append(rule)
    if any(score >= 0.5 for intent, score in evidence.scores.items() if intent != Intent.OFF_TOPIC):
        return
    if Intent.OFF_TOPIC in evidence.scores:
        return  # "hola, viste el partido?" is small talk, not a greeting
    evidence.scores[Intent.GREETING] = score


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


def _add_keyword_hints(evidence: _Evidence) -> None:
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


def _resolve(scores: dict[Intent, float]) -> tuple[Intent, float]:
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


class RuleIntentClassifier:
    """Classifies a message into one of the 12 intents with keyword and pattern rules."""

    def classify(self, text: str) -> IntentResult:
        if not has_letters_or_digits(text):
            return _classify_symbols_only(text)
        tokens = canonical_tokens(text)
        if not tokens:
            return IntentResult(intent=Intent.OFF_TOPIC, confidence=EMOJI_ONLY_CONFIDENCE)
        evidence = _collect_evidence(text, tokens)
        _drop_generic_cues_off_topic(evidence)
        _demote_stated_preferences(evidence)
        _apply_greeting(evidence)
        _add_keyword_hints(evidence)
        if not evidence.scores:
            return _fallback(evidence)
        intent, confidence = _resolve(evidence.scores)
        return IntentResult(
            intent=intent,
            confidence=round(min(0.99, max(0.05, confidence)), 2),
            matched_rules=tuple(dict.fromkeys(evidence.matched)),
        )


def _fallback(evidence: _Evidence) -> IntentResult:
    """Nothing matched. "ok", "gracias" are acknowledgements: still off-topic, a bit surer."""
    matched = tuple(dict.fromkeys(evidence.matched))
    if _COURTESY_ONLY.match(evidence.canonical):
        return IntentResult(intent=Intent.OFF_TOPIC, confidence=0.4, matched_rules=(*matched, "courtesy_only"))
    return IntentResult(intent=Intent.OFF_TOPIC, confidence=FALLBACK_CONFIDENCE, matched_rules=matched)


def _classify_symbols_only(text: str) -> IntentResult:
    """Emoji, stickers' alt text, punctuation: only a wave means something on its own."""
    if any(emoji in text for emoji in WAVE_EMOJI):
        return IntentResult(intent=Intent.GREETING, confidence=0.9, matched_rules=("greeting_emoji",))
    return IntentResult(intent=Intent.OFF_TOPIC, confidence=EMOJI_ONLY_CONFIDENCE, matched_rules=("no_text",))
