"""Rules for the commands: stop writing to me (OPT_OUT), let me talk to a person (CONTACT_REQUEST)."""

from __future__ import annotations

from app.domain.intent_rules.pattern_parts import G1, G2, HUMAN
from app.domain.intent_rules.rule import RuleSpec
from app.domain.intents import Intent

# --- OPT_OUT: explicit requests to stop. Negated forms of contact verbs live here.
OPT_OUT_RULES: tuple[RuleSpec, ...] = (
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
)


# --- CONTACT_REQUEST: wants a person, a call, or a number.
CONTACT_REQUEST_RULES: tuple[RuleSpec, ...] = (
    (
        "contact_human",
        Intent.CONTACT_REQUEST,
        0.92,
        (
            rf"(?:hablar|platicar|conversar|comunicarme|comunicarnos|chatear|contactar|contactarme|contacto|"
            rf"charlar) (?:con |a )(?:un |una |algun |alguna |el |la |otro |otra |su |sus |tu |"
            rf"alguien )?{HUMAN}",
            rf"(?:me |nos )?(?:puedes |pueden |podrias |podrian |puede |podria |podes )?(?:pasar|comunicar|"
            rf"transferir|"
            rf"conectar|derivar|poner en contacto) con (?:un |una |el |la |algun |alguna |otro |otra )?{HUMAN}",
            rf"(?:pasame|pasen|paseme|pasarme|comunicame|comuniquenme|transfiereme|transferirme|derivame|"
            rf"derivenme|conectame|conectenme|pasenme|paseme|pasalo|comuniqueme) (?:con |a )(?:un |una |algun |"
            rf"alguna |"
            rf"el |la )?{HUMAN}",
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
            # Not "agente": at a school of AI, "quiero construir agentes" is a topic, not a person.
            r"(?:quiero|necesito|quisiera|prefiero|me gustaria|puedo|podria) (?:ver |contactar |consultar )?"
            r"(?:a )?(?:un |una )?(?:asesor\w*|persona real|humano|vendedor\w*|asesoria)",
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
)
