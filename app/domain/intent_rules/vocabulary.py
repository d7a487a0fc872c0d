"""Words the canonicaliser knows: emoji meanings, WhatsApp shorthand, frequent and regional
Spanish that must never be "corrected", and the full forms of the stems the rules use."""

from __future__ import annotations


def word_set(words: str) -> frozenset[str]:
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
COMMON_WORDS: frozenset[str] = word_set(
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
EXTRA_VOCABULARY: frozenset[str] = word_set(
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
