"""Rules for ready-to-buy signals (BUYING_SIGNALS) and questions about a course (GENERAL_QUESTION)."""

from __future__ import annotations

from app.domain.intent_rules.pattern_parts import G1, G2, G3, PAY_METHOD
from app.domain.intent_rules.rule import RuleSpec
from app.domain.intents import Intent

# --- BUYING_SIGNALS: ready to enrol or pay.
BUYING_SIGNALS_RULES: tuple[RuleSpec, ...] = (
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
            rf"(?:\S+ ){{0,4}}{PAY_METHOD}",
            rf"^{PAY_METHOD}$",
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
            r"(?:compro|pago|tomo|adquiero|contrato) (?:el|ese|este|los) "
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
)


# --- GENERAL_QUESTION: details of a course or of the school.
GENERAL_QUESTION_RULES: tuple[RuleSpec, ...] = (
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
)
