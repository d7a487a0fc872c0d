"""Rules for what blocks the sale: asking for free material, price and time objections."""

from __future__ import annotations

from app.domain.intent_rules.pattern_parts import G1, G2, MONEY
from app.domain.intent_rules.rule import RuleSpec
from app.domain.intents import Intent

# --- FREE_RESOURCES: free material, trials, scholarships.
FREE_RESOURCES_RULES: tuple[RuleSpec, ...] = (
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
)


# --- PRICE_OBJECTION: too expensive, no money, discounts, instalments.
PRICE_OBJECTION_RULES: tuple[RuleSpec, ...] = (
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
            rf"tengo ese|manejo) (?:{G2})?{MONEY}",
            rf"sin {MONEY}",
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
            rf"(?:apretad[oa]|ajustad[oa]|cort[oa]) (?:de|con) (?:la |el )?{MONEY}",
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
)


# --- TIME_OBJECTION: no time, busy, classes too long.
TIME_OBJECTION_RULES: tuple[RuleSpec, ...] = (
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
)
