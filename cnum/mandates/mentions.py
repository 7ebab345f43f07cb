"""The mentions of a mandate (what the usager consents to) and its attestation, in the
languages the usager may choose (docs/aidants-connect.md#langues).

French is the reference text; the others are its translations, kept together so a change of
one sentence is made in every language at once. `direction` is "rtl" for Arabic: the pages
set it on the element holding the text, with its `lang`.
"""

from django.db import models
from django.utils import formats
from django.utils.html import format_html
from django.utils.timezone import localtime


class Language(models.TextChoices):
    FR = "fr", "Français"
    EN = "en", "Anglais"
    AR = "ar", "Arabe"
    ES = "es", "Espagnol"


# The name of each language in itself, for the usager's choice.
NATIVE_NAMES = {"fr": "Français", "en": "English", "ar": "العربية", "es": "Español"}
RTL = frozenset({"ar"})

CONSENT = {
    "fr": (
        "En signant ce mandat, vous autorisez la structure {structure} et ses aidants habilités à "
        "réaliser en votre nom les démarches en ligne des domaines choisis, pendant la durée "
        "choisie.",
        "L'aidant agit uniquement pour ces démarches, avec vous ou à votre demande ; il ne "
        "conserve pas vos mots de passe.",
        "Chaque démarche faite en votre nom est inscrite dans un journal, que vous pouvez "
        "consulter dans votre espace usager en vous connectant avec FranceConnect.",
        "Vous pouvez révoquer ce mandat à tout moment, en entier ou pour un seul domaine, auprès "
        "de la structure ou depuis votre espace usager.",
        "Vos données sont conservées par la structure pendant le mandat, puis pendant la durée "
        "fixée par l'administration ; elles ne servent à rien d'autre.",
    ),
    "en": (
        "By signing this mandate, you authorise the organisation {structure} and its accredited "
        "helpers to carry out, on your behalf, the online procedures of the chosen areas, for "
        "the chosen period.",
        "The helper acts only for these procedures, with you or at your request; they do not "
        "keep your passwords.",
        "Every procedure carried out on your behalf is recorded in a log, which you can consult "
        "in your personal space by signing in with FranceConnect.",
        "You may revoke this mandate at any time, entirely or for a single area, with the "
        "organisation or from your personal space.",
        "Your data are kept by the organisation during the mandate, then for the period set by "
        "the administration; they are used for nothing else.",
    ),
    "ar": (
        "بتوقيعك على هذا التفويض، تأذن للمؤسسة {structure} ولمساعديها المعتمدين بإنجاز "
        "الإجراءات الإلكترونية الخاصة بالمجالات المختارة نيابةً عنك، طوال المدة المختارة.",
        "لا يتصرف المساعد إلا في هذه الإجراءات، بحضورك أو بطلب منك، ولا يحتفظ بكلمات المرور "
        "الخاصة بك.",
        "يُسجَّل كل إجراء يُنجَز باسمك في سجلّ يمكنك الاطلاع عليه في مساحتك الشخصية، بعد "
        "تسجيل الدخول عبر FranceConnect.",
        "يمكنك إلغاء هذا التفويض في أي وقت، كليًّا أو لمجال واحد فقط، لدى المؤسسة أو من مساحتك "
        "الشخصية.",
        "تحتفظ المؤسسة ببياناتك طوال مدة التفويض، ثم خلال المدة التي تحددها الإدارة، ولا "
        "تُستعمل لأي غرض آخر.",
    ),
    "es": (
        "Al firmar este mandato, usted autoriza a la estructura {structure} y a sus asistentes "
        "habilitados a realizar en su nombre los trámites en línea de los ámbitos elegidos, "
        "durante el período elegido.",
        "El asistente actúa únicamente para estos trámites, con usted o a petición suya; no "
        "conserva sus contraseñas.",
        "Cada trámite realizado en su nombre queda anotado en un registro, que puede consultar "
        "en su espacio personal conectándose con FranceConnect.",
        "Puede revocar este mandato en cualquier momento, en su totalidad o para un solo ámbito, "
        "ante la estructura o desde su espacio personal.",
        "La estructura conserva sus datos durante el mandato y después durante el plazo fijado "
        "por la administración; no se utilizan para ningún otro fin.",
    ),
}

TEXTS = {
    "fr": {
        "heading": "Mentions du mandat",
        "mandate": "Attestation de mandat n° {number}",
        "revocation": "Attestation de révocation de mandat n° {number}",
        "gives": "Je soussigné(e) {name}, né(e) le {birth_date} à {birth_place}, donne mandat "
        "à la structure {structure}, représentée par ses aidants habilités, pour réaliser en mon "
        "nom les démarches en ligne des domaines ci-dessous, du {start} au {end} ({duration}).",
        "ends": "Je soussigné(e) {name}, né(e) le {birth_date} à {birth_place}, déclare mettre "
        "fin, le {revoked}, au mandat donné à la structure {structure}.",
        "domains": "Domaines",
        "informed": "J'ai été informé(e) que je peux révoquer ce mandat à tout moment auprès de "
        "la structure. Aidant : {aidant}.",
        "done": "Fait le ………………… à …………………",
        "signature": "Signature de l'usager :",
        "fingerprint": "Empreinte SHA-256 du contenu :",
        "template": "modèle",
        "at": "{day} à {time}",
    },
    "en": {
        "heading": "Terms of the mandate",
        "mandate": "Mandate certificate no. {number}",
        "revocation": "Certificate of revocation of mandate no. {number}",
        "gives": "I, the undersigned {name}, born on {birth_date} in {birth_place}, give a "
        "mandate to the organisation {structure}, represented by its accredited helpers, to "
        "carry out on my behalf the online procedures of the areas listed below, from {start} "
        "to {end} ({duration}).",
        "ends": "I, the undersigned {name}, born on {birth_date} in {birth_place}, declare that "
        "I end, on {revoked}, the mandate given to the organisation {structure}.",
        "domains": "Areas",
        "informed": "I have been informed that I may revoke this mandate at any time with the "
        "organisation. Helper: {aidant}.",
        "done": "Done on ………………… at …………………",
        "signature": "Signature of the user:",
        "fingerprint": "SHA-256 fingerprint of the content:",
        "template": "template",
        "at": "{day} at {time}",
    },
    "ar": {
        "heading": "بنود التفويض",
        "mandate": "شهادة التفويض رقم {number}",
        "revocation": "شهادة إلغاء التفويض رقم {number}",
        "gives": "أنا الموقّع(ة) أدناه {name}، المولود(ة) بتاريخ {birth_date} في {birth_place}، "
        "أمنح تفويضًا للمؤسسة {structure}، ممثَّلةً بمساعديها المعتمدين، لإنجاز الإجراءات "
        "الإلكترونية الخاصة بالمجالات المذكورة أدناه نيابةً عني، من {start} إلى {end} "
        "({duration}).",
        "ends": "أنا الموقّع(ة) أدناه {name}، المولود(ة) بتاريخ {birth_date} في {birth_place}، "
        "أُعلن إنهاء التفويض الممنوح للمؤسسة {structure}، بتاريخ {revoked}.",
        "domains": "المجالات",
        "informed": "أُحطتُ علمًا بأنه يمكنني إلغاء هذا التفويض في أي وقت لدى المؤسسة. "
        "المساعد: {aidant}.",
        "done": "حُرّر بتاريخ ………………… في …………………",
        "signature": "توقيع المستفيد:",
        "fingerprint": "بصمة SHA-256 للمحتوى:",
        "template": "النموذج",
        "at": "{day} على الساعة {time}",
    },
    "es": {
        "heading": "Condiciones del mandato",
        "mandate": "Certificado de mandato n.º {number}",
        "revocation": "Certificado de revocación del mandato n.º {number}",
        "gives": "Yo, el/la abajo firmante {name}, nacido/a el {birth_date} en {birth_place}, "
        "otorgo mandato a la estructura {structure}, representada por sus asistentes "
        "habilitados, para realizar en mi nombre los trámites en línea de los ámbitos indicados "
        "a continuación, del {start} al {end} ({duration}).",
        "ends": "Yo, el/la abajo firmante {name}, nacido/a el {birth_date} en {birth_place}, "
        "declaro poner fin, el {revoked}, al mandato otorgado a la estructura {structure}.",
        "domains": "Ámbitos",
        "informed": "He sido informado/a de que puedo revocar este mandato en cualquier momento "
        "ante la estructura. Asistente: {aidant}.",
        "done": "Hecho el ………………… en …………………",
        "signature": "Firma del usuario:",
        "fingerprint": "Huella SHA-256 del contenido:",
        "template": "plantilla",
        "at": "{day} a las {time}",
    },
}

# Labels of the domains (cnum.mandates.domains.Domain holds the French ones).
DOMAINS = {
    "en": {
        "papiers": "Papers – Citizenship – Elections",
        "famille": "Family – Schooling",
        "social": "Social – Health",
        "travail": "Work – Training",
        "logement": "Housing",
        "transports": "Transport – Mobility",
        "argent": "Money – Taxes – Consumer affairs",
        "justice": "Justice",
        "etranger": "Foreign nationals – Europe",
        "loisirs": "Leisure – Sport – Culture",
    },
    "ar": {
        "papiers": "الوثائق – المواطنة – الانتخابات",
        "famille": "الأسرة – التمدرس",
        "social": "الشؤون الاجتماعية – الصحة",
        "travail": "العمل – التدريب",
        "logement": "السكن",
        "transports": "النقل – التنقل",
        "argent": "المال – الضرائب – الاستهلاك",
        "justice": "العدالة",
        "etranger": "الأجانب – أوروبا",
        "loisirs": "الترفيه – الرياضة – الثقافة",
    },
    "es": {
        "papiers": "Documentos – Ciudadanía – Elecciones",
        "famille": "Familia – Escolaridad",
        "social": "Asuntos sociales – Salud",
        "travail": "Trabajo – Formación",
        "logement": "Vivienda",
        "transports": "Transporte – Movilidad",
        "argent": "Dinero – Impuestos – Consumo",
        "justice": "Justicia",
        "etranger": "Extranjería – Europa",
        "loisirs": "Ocio – Deporte – Cultura",
    },
}
DURATIONS = {
    "en": {1: "1 day", 31: "1 month (31 days)", 182: "6 months (182 days)",
           365: "12 months (365 days)"},
    "ar": {1: "يوم واحد", 31: "شهر واحد (31 يومًا)", 182: "6 أشهر (182 يومًا)",
           365: "12 شهرًا (365 يومًا)"},
    "es": {1: "1 día", 31: "1 mes (31 días)", 182: "6 meses (182 días)",
           365: "12 meses (365 días)"},
}  # fmt: skip


def language_of(code):
    """A known language code, French otherwise (a stale or forged choice falls back)."""
    return code if code in Language.values else Language.FR


def direction(code):
    return "rtl" if code in RTL else "ltr"


def consent_paragraphs(code, structure):
    return [format_html(text, structure=structure) for text in CONSENT[language_of(code)]]


def choices():
    """(code, native name, direction) of every language, for the usager's choice."""
    return [(code, NATIVE_NAMES[code], direction(code)) for code in Language.values]


def domain_label(code, domain):
    from cnum.mandates.domains import Domain

    return DOMAINS.get(code, {}).get(domain) or Domain(domain).label


def _day(value):
    return formats.date_format(localtime(value) if hasattr(value, "hour") else value, "d/m/Y")


def _moment(code, value):
    value = localtime(value)
    return TEXTS[code]["at"].format(day=_day(value), time=value.strftime("%H:%M"))


def attestation_texts(mandate, kind):
    """Every sentence of the attestation of `mandate` in its language (HTML-escaped values)."""
    code = language_of(mandate.language)
    texts, usager = TEXTS[code], mandate.usager
    identity = {
        "name": f"{usager.given_names} {usager.family_name}",
        "birth_date": _day(usager.birth_date),
        "birth_place": usager.birth_place,
        "structure": format_html("<strong>{}</strong>", mandate.organisation.name),
    }
    if kind == "revocation":
        body = format_html(texts["ends"], revoked=_moment(code, mandate.revoked_at), **identity)
    else:
        duration = DURATIONS.get(code, {}).get(mandate.duration_days)
        body = format_html(
            texts["gives"],
            start=_day(mandate.created_at),
            end=_moment(code, mandate.expires_at),
            duration=duration or mandate.get_duration_days_display(),
            **identity,
        )
    return {
        "lang": code,
        "dir": direction(code),
        "title": texts["revocation" if kind == "revocation" else "mandate"].format(
            number=mandate.pk
        ),
        "body": body,
        "domains_heading": texts["domains"],
        "domains": [domain_label(code, a.domain) for a in mandate.authorisations.all()],
        "informed": format_html(texts["informed"], aidant=mandate.created_by.get_full_name()),
        "done": texts["done"],
        "signature": texts["signature"],
        "fingerprint": texts["fingerprint"],
        "template": texts["template"],
    }
