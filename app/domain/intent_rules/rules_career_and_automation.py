"""Rules for specific needs: changing profession (PROFESSION_CHANGE), automating a task (AUTOMATION_NEED)."""

from __future__ import annotations

from app.domain.intent_rules.pattern_parts import BUSINESS, G1, G2, G3, JOB, TASKS, TECH_FIELD
from app.domain.intent_rules.rule import RuleSpec
from app.domain.intents import Intent

# --- PROFESSION_CHANGE: career change, reskilling, lost job.
PROFESSION_CHANGE_RULES: tuple[RuleSpec, ...] = (
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
            rf"(?:la |el )?(?:{G1})?{TECH_FIELD}",
            rf"desarrollarme (?:profesionalmente |laboralmente )?(?:en|como) (?:la |el )?(?:{G1})?{TECH_FIELD}",
            r"(?:dar|darle) (?:un )?giro (?:a mi |profesional|laboral)",
            r"reinvent\w*",
            r"reconvert\w*",
            r"reconversion\w*",
            r"re ?skilling",
            r"up ?skilling",
            rf"(?:pasarme|pasar|moverme|mover|migrar|saltar|brincar|cambiarme|meterme|irme|dar el salto|"
            rf"dar el brinco|transicionar|hacer la transicion|hacer el cambio|cambiar|pasar de|migrar de|cambio|"
            rf"salto|switch|transicion) (?:{G3})?(?:a|al|hacia|para) (?:la |el |lo |los |"
            rf"las )?(?:{G3})?{TECH_FIELD}",
            rf"(?:dedicarme|trabajar|vivir|chambear|laburar|conseguir chamba|ejercer|"
            rf"desempenarme) (?:{G2})?(?:de|en|a|como|del|dentro de) (?:la |el |lo |un |una |las |los )?(?:{G2})?"
            rf"{TECH_FIELD}",
            r"(?:dedicarme|trabajar|chambear|laburar) con (?:la |las |los |el )?(?:computadoras|computadora|"
            r"datos|"
            r"tecnologia|sistemas|codigo|software|computacion)",
            r"transicion (?:de carrera|profesional|laboral)",
            rf"(?:quiero|busco|quisiera|me gustaria|conseguir|encontrar|tener|aspiro a) (?:un |una |"
            rf"mi )?(?:{JOB}|"
            rf"puesto|carrera|futuro|empleo|chance|oportunidad) (?:{G1})?(?:en|de|como|dentro de) (?:la |el |"
            rf"lo )?"
            rf"(?:{G1})?{TECH_FIELD}",
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
            rf"nuevo )?(?:{JOB}|"
            r"puesto|oportunidades|salida laboral)",
            r"(?:me|nos) (?:contratarian|contratan|contrataran|van a contratar|darian trabajo|dan trabajo)",
            r"(?:consigo|conseguiria|conseguire|encontrare|encontraria|podre conseguir|"
            r"podria conseguir) (?:\S+ )?"
            r"(?:trabajo|empleo|chamba|laburo|pega|curro)",
            rf"(?:empezar|iniciar|comenzar|arrancar|probar|buscar) (?:con )?algo (?:nuevo|distinto|diferente|"
            rf"otro) "
            rf"(?:en|de|con|dentro de|relacionado con) (?:la |el |lo )?(?:{G1})?{TECH_FIELD}",
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
            rf"(?:la |el )?{TECH_FIELD}",
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
            rf"(?:me quede|estoy|quede|ando|me encuentro|sigo|estamos) (?:{G1})?(?:sin {JOB}|desemplead\w*|"
            r"parad[oa]|en paro|cesante|sin chamba|buscando trabajo|buscando empleo|en busqueda laboral)",
            r"me (?:despidieron|corrieron|echaron|botaron|liquidaron|recortaron|dieron de baja del trabajo|"
            r"sacaron del trabajo|cesaron)",
            rf"perdi (?:mi |el )?{JOB}",
            r"(?:fui|he sido|me han|me habian|fuimos|hemos sido|quede) (?:\S+ )?(?:despedid[oa]s?|corrid[oa]s?|"
            r"echad[oa]s?|liquidad[oa]s?|recortad[oa]s?|desvinculad[oa]s?|despedido)",
            rf"(?:busco|buscando|buscar|conseguir|encontrar|consigo|conseguiria|conseguir un|encontrar un) "
            rf"(?:{G1})?{JOB} (?:en|de|como|dentro de|relacionado con)",
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
)


# --- AUTOMATION_NEED: a concrete task or process to automate.
AUTOMATION_NEED_RULES: tuple[RuleSpec, ...] = (
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
            rf"respondiendo|contestando|sacando|cargando|capturando) (?:{G3})?{TASKS} (?:{G3})?(?:todos los|"
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
            rf"(?:los mismos|las mismas|el mismo|la misma) (?:\S+ )?{TASKS}",
            rf"(?:pasar|copiar|transcribir|pasando|copiando|transcribiendo|vaciar|vaciando|migrar|capturar|"
            rf"capturando|"
            rf"cargar|cargando|bajar|descargar) (?:\S+ ){{0,2}}(?:datos|informacion|numeros|cifras|registros|"
            rf"{TASKS}) "
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
            r"nuestro|el) (?:\S+ )?" + BUSINESS,
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
            rf"nuestros|los|las) (?:\S+ )?(?:{BUSINESS}|{TASKS}|clientes|ventas|pacientes|alumnos))",
            rf"(?:mi|nuestro|nuestra|el|la) (?:{G1})?{BUSINESS} (?:{G3})?(?:necesita|necesito|quiero|requiere|"
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
        (rf"(?:mi|nuestro|nuestra|tengo un|tengo una) (?:{G1})?{BUSINESS}",),
    ),
)
