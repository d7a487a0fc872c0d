"""Rules for browsing the catalogue (EXPLORATION) and for clearly unrelated messages (OFF_TOPIC)."""

from __future__ import annotations

from app.domain.intent_rules.pattern_parts import G1, G2
from app.domain.intent_rules.rule import RuleSpec
from app.domain.intents import Intent

# --- EXPLORATION: what courses exist, what to study.
EXPLORATION_RULES: tuple[RuleSpec, ...] = (
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
)


# --- OFF_TOPIC cues: clearly unrelated content. Weaker than any course cue.
OFF_TOPIC_RULES: tuple[RuleSpec, ...] = (
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
