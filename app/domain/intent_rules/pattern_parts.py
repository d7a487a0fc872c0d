"""Regex pieces shared by the rule tables: word gaps and reused vocabularies."""

# Word gaps between two cue words: "quiero (ya mismo) inscribirme".
G1 = r"(?:\S+ )?"
G2 = r"(?:\S+ ){0,2}"
G3 = r"(?:\S+ ){0,3}"

# Reused vocabularies.
TECH_FIELD = (
    r"(?:datos|data|tecnologia|tech|programacion|programar|ia|inteligencia artificial|sistemas|desarrollo|it|"
    r"ti|"
    r"computacion|computadoras|computadora|codigo|tecnologic\w*|informatic\w*|digitales|"
    r"software|analisis de datos|analitica|ciencia de datos|machine learning|informatica|digital|"
    r"ciberseguridad|cloud|ux|marketing digital|automatizacion|python|desarrollo web|web|"
    r"programador\w*|desarrollador\w*|analista\w*|cientific\w* de datos|ingenier\w* de datos|data \w+)"
)
MONEY = (
    r"(?:dinero|plata|lana|pasta|guita|presupuesto|money|billete|varo|feria|pisto|fondos|recursos|"
    r"lucas|cash|capital|un peso|un duro|un centavo|un sol|un mango|un quinto|un peso partido|un clavo)"
)
JOB = r"(?:trabajo|empleo|chamba|laburo|pega|curro|chambita|jale)"
HUMAN = (
    r"(?:asesor\w*|persona|humano|humana|agente|ejecutiv\w*|vendedor\w*|alguien|representante|"
    r"encargad\w*|responsable|coordinador\w*|operador\w*|director\w*|gente|ser humano|especialista|"
    r"consultor\w*|alguien real|una persona real|una persona de verdad)"
)
PAY_METHOD = (
    r"(?:tarjeta\w*|paypal|transferencia\w*|oxxo|mercado pago|mercadopago|nequi|daviplata|yape|plin|"
    r"efectivo|deposito|debito|credito|visa|mastercard|bizum|pse|spei|zelle|cripto\w*|bitcoin|stripe|"
    r"usdt|binance|western union|pago movil|sinpe|transbank|webpay|amex)"
)
TASKS = (
    r"(?:reportes?|informes?|facturas?|planillas?|excel|excels|hojas|cotizaciones|inventarios?|nomina|"
    r"datos|tablas|presupuestos|correos|mails|emails|pedidos|mensajes|publicaciones|posts|citas|"
    r"agenda|contabilidad|cobranza|seguimientos?|tickets|formularios|encuestas|graficas|graficos|"
    r"dashboards?|documentos|contratos|propuestas|respuestas|registros|bases de datos|liquidaciones|"
    r"conciliaciones|asientos|declaraciones|recibos|ordenes|guias|envios|stock|cierres?)"
)
BUSINESS = (
    r"(?:negocio|empresa|tienda|emprendimiento|pyme|consultorio|despacho|restaurante|oficina|"
    r"area|departamento|clinica|agencia|estudio contable|ferreteria|inmobiliaria|negocito|local|"
    r"tiendita|e commerce|ecommerce|marca|equipo de ventas|pasteleria|panaderia|farmacia|taller|"
    r"hotel|gimnasio|escuela|colegio|academia|startup|changarro|almacen|bodega|veterinaria)"
)
