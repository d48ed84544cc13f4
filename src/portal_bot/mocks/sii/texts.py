"""Every message the SII mock shows, in one place so tests and flows can quote them.

Texts marked [src] are the real portal's; the rest are invented for the mock [inv].
"""

from __future__ import annotations

# Login, client side (AutAll.js) [src]
FILL_RUT_AND_CLAVE = "Por favor, ingrese rut y clave."
INCOMPLETE_RUT = "Debe ingresar el rut completo"
INVALID_RUT = "El RUT ingresado no es valido"
WRONG_DV = "Dígito Verificador erróneo"

# Login, server side
WRONG_CLAVE_CODE = "01.01.203.500.720.20"  # [src]
LOCKED_CODE = "01.01.203.500.720.09"  # [src: code ending 09]
WRONG_CLAVE = (  # [src]
    "La Clave Tributaria ingresada no es correcta, verifique que su teclado no está con "
    'opción "mayúsculas" e inténtelo nuevamente.'
)
LOCKED_CLAVE = (  # [inv]
    "Su Clave Tributaria se encuentra bloqueada por exceder el número de intentos "
    'permitidos. Inténtelo nuevamente en una hora o utilice la opción "Recuperar Clave".'
)
MESSAGE_CODE = "El código de este mensaje es {code}"  # [src]

# Centralizar certificado digital [inv]
CERT_MISSING_FILE = "Debe seleccionar el archivo del certificado digital."
CERT_MISSING_PASSWORD = "Debe ingresar la clave del certificado."
CERT_WRONG_PASSWORD = "La clave del certificado no es correcta."
CERT_NOT_PKCS12 = "El archivo no corresponde a un certificado digital."
CERT_NO_KEY = "El archivo no contiene la clave privada del certificado digital."
CERT_EXPIRED = "El certificado digital se encuentra vencido."
CERT_OTHER_RUT = "El certificado no corresponde al RUT autenticado."
CERT_SAVED = "Se guardó archivo OK"  # [src: seed 003]

# Recuperar Clave [inv]
RECOVERY_MISSING_RUT = "Debe ingresar el RUT."
RECOVERY_INVALID_RUT = "El RUT ingresado no es válido."
RECOVERY_UNKNOWN_RUT = "El RUT ingresado no registra Clave Tributaria en el SII."
RECOVERY_MISSING_CLAUSE = "Debe aceptar la Cláusula para continuar."
CODE_WILL_BE_SENT = (
    "Se enviará un código provisorio al correo electrónico registrado {email}. "
    "Presione «Continuar» para recibirlo."
)
CODE_SENT = "Se ha enviado un código provisorio al correo electrónico registrado {email}"
CODE_EXISTS = (
    "Ya existe un código provisorio vigente, enviado al correo electrónico registrado "
    "{email}. Si ya lo recibió, ingréselo para continuar."
)
CODE_MISSING = "Debe ingresar el código provisorio."
CODE_INVALID = "El código provisorio ingresado no es válido."
CODE_EXPIRED = "El código provisorio ha expirado. Solicite uno nuevo."
TICKET_EXPIRED = "Su sesión de recuperación de clave expiró. Comience nuevamente."
CLAVE_RULES = "La Clave Tributaria debe tener entre 8 y 10 caracteres, con letras y números."
CLAVE_MISMATCH = "Las claves ingresadas no coinciden."
AUTH_MODE_MISSING = "Debe seleccionar una forma de ingreso al SII."
QUESTION_MISSING = "Debe seleccionar una pregunta secreta e ingresar su respuesta."
CLAVE_CHANGED = (
    "Su Clave Tributaria y su forma de ingreso al SII fueron actualizadas correctamente."
)

AUTH_MODES = (
    "Utilizando Clave Tributaria o Certificado Digital",  # [src: seed 003]
    "Utilizando Clave Única o Certificado Digital",  # [inv]
    "Utilizando sólo Certificado Digital",  # [src: gesnex, relbase: the last option]
)

SECRET_QUESTIONS = (  # [inv]
    "¿Cuál es el nombre de su primera mascota?",
    "¿En qué ciudad nació su madre?",
    "¿Cuál es el nombre de su colegio de enseñanza básica?",
    "¿Cuál es su comida favorita?",
)

# The notice over Mi SII right after login (#ModalEmergente) [src: it exists and its
# title varies; every title and text here is ours, inv].
NOTICES = (
    (
        "Estimado Contribuyente",
        "Recuerde que el SII nunca le solicitará su Clave Tributaria por correo electrónico.",
    ),
    (
        "Importante",
        "Recuerde mantener actualizados su correo electrónico y teléfono de contacto en Mi SII.",
    ),
    (
        "Actualice sus datos de contacto",
        "Revise que su correo electrónico registrado en el SII esté vigente.",
    ),
)

CLAUSE = (  # [inv]
    "Declaro que los datos ingresados son de mi exclusiva responsabilidad y que soy el "
    "titular del RUT indicado o su representante legal. El uso indebido de la Clave "
    "Tributaria es de responsabilidad del contribuyente, conforme al artículo 30 del "
    "Código Tributario."
)
