"""The province whose Damrongdhamma centre runs this site: one setting, ``PROVINCE_CODE``.

Everything that used to say นครสวรรค์ asks here: the province's names (from geothai, which
knows all 77, so no database is needed and error pages can use them), the prefix of tracking
numbers, where maps and generated positions centre, and the centre's default name and address
(what the site settings show when an editor leaves them blank, core/centre.py).

The three-letter prefixes are the English abbreviations Thai government systems commonly use
(NSN for นครสวรรค์, CMI for เชียงใหม่, BKK for กรุงเทพมหานคร). ISO 3166-2:TH has only the
numeric codes and geothai no abbreviations, so the table is kept here; ``TRACKING_PREFIX``
overrides it. The points are the provincial capitals (the city hall's town), to about a
kilometre: enough to centre a map or spread demo positions, not to locate anything.
"""

import re
from dataclasses import dataclass
from functools import cache

import geothai
from django.conf import settings
from django.core.checks import Error, register
from django.utils import translation

BANGKOK = "10"
PREFIX_RE = re.compile(r"[A-Z]{2,5}")

# code: (prefix, latitude, longitude of the provincial capital)
PROVINCES: dict[str, tuple[str, float, float]] = {
    "10": ("BKK", 13.75, 100.50),
    "11": ("SPK", 13.60, 100.60),
    "12": ("NBI", 13.86, 100.51),
    "13": ("PTE", 14.02, 100.53),
    "14": ("AYA", 14.35, 100.57),
    "15": ("ATG", 14.59, 100.45),
    "16": ("LRI", 14.80, 100.62),
    "17": ("SBR", 14.89, 100.40),
    "18": ("CNT", 15.19, 100.13),
    "19": ("SRI", 14.53, 100.91),
    "20": ("CBI", 13.36, 100.98),
    "21": ("RYG", 12.68, 101.28),
    "22": ("CTI", 12.61, 102.10),
    "23": ("TRT", 12.24, 102.51),
    "24": ("CCO", 13.69, 101.07),
    "25": ("PRI", 14.05, 101.37),
    "26": ("NYK", 14.20, 101.21),
    "27": ("SKW", 13.82, 102.07),
    "30": ("NMA", 14.97, 102.10),
    "31": ("BRM", 14.99, 103.10),
    "32": ("SRN", 14.88, 103.49),
    "33": ("SSK", 15.12, 104.32),
    "34": ("UBN", 15.24, 104.85),
    "35": ("YST", 15.79, 104.15),
    "36": ("CPM", 15.81, 102.03),
    "37": ("ACR", 15.86, 104.63),
    "38": ("BKN", 18.36, 103.65),
    "39": ("NBP", 17.20, 102.44),
    "40": ("KKN", 16.43, 102.83),
    "41": ("UDN", 17.41, 102.79),
    "42": ("LEI", 17.49, 101.72),
    "43": ("NKI", 17.88, 102.74),
    "44": ("MKM", 16.18, 103.30),
    "45": ("RET", 16.05, 103.65),
    "46": ("KSN", 16.43, 103.51),
    "47": ("SNK", 17.16, 104.15),
    "48": ("NPM", 17.41, 104.78),
    "49": ("MDH", 16.54, 104.72),
    "50": ("CMI", 18.79, 98.98),
    "51": ("LPN", 18.58, 99.01),
    "52": ("LPG", 18.29, 99.49),
    "53": ("UTD", 17.62, 100.10),
    "54": ("PRE", 18.14, 100.14),
    "55": ("NAN", 18.78, 100.78),
    "56": ("PYO", 19.17, 99.90),
    "57": ("CRI", 19.91, 99.83),
    "58": ("MSN", 19.30, 97.97),
    "60": ("NSN", 15.70, 100.14),
    "61": ("UTI", 15.38, 100.02),
    "62": ("KPT", 16.48, 99.52),
    "63": ("TAK", 16.88, 99.13),
    "64": ("STI", 17.01, 99.82),
    "65": ("PLK", 16.82, 100.26),
    "66": ("PCT", 16.44, 100.35),
    "67": ("PNB", 16.42, 101.16),
    "70": ("RBR", 13.54, 99.82),
    "71": ("KRI", 14.02, 99.53),
    "72": ("SPB", 14.47, 100.12),
    "73": ("NPT", 13.82, 100.06),
    "74": ("SKN", 13.55, 100.27),
    "75": ("SKM", 13.41, 100.00),
    "76": ("PBI", 13.11, 99.94),
    "77": ("PKN", 11.81, 99.80),
    "80": ("NRT", 8.43, 99.96),
    "81": ("KBI", 8.09, 98.91),
    "82": ("PNA", 8.45, 98.53),
    "83": ("PKT", 7.88, 98.39),
    "84": ("SNI", 9.14, 99.33),
    "85": ("RNG", 9.96, 98.64),
    "86": ("CPN", 10.49, 99.18),
    "90": ("SKA", 7.19, 100.59),
    "91": ("STN", 6.62, 100.07),
    "92": ("TRG", 7.56, 99.61),
    "93": ("PLG", 7.62, 100.08),
    "94": ("PTN", 6.87, 101.25),
    "95": ("YLA", 6.54, 101.28),
    "96": ("NWT", 6.43, 101.82),
}


@dataclass(frozen=True)
class Province:
    code: str
    name_th: str
    name_en: str
    tracking_prefix: str
    latitude: float
    longitude: float

    @property
    def name(self) -> str:
        """In the language of the request (the English name for English pages)."""
        lang = translation.get_language() or "th"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_th

    @property
    def is_bangkok(self) -> bool:
        """กรุงเทพมหานคร is no จังหวัด: its centre, districts (เขต) and offices are named apart."""
        return self.code == BANGKOK

    def centre_name(self, lang: str | None = None) -> str:
        """The centre's usual name: ศูนย์ดำรงธรรมจังหวัด<name>, in Thai or English."""
        lang = lang or translation.get_language() or "th"
        if lang.startswith("en"):
            where = self.name_en if self.is_bangkok else f"{self.name_en} Province"
            return f"Damrongdhamma Center of {where}"
        return f"ศูนย์ดำรงธรรม{self.with_title_th}"

    @property
    def with_title_th(self) -> str:
        """ "จังหวัดเชียงใหม่", or "กรุงเทพมหานคร" alone."""
        return self.name_th if self.is_bangkok else f"จังหวัด{self.name_th}"

    @property
    def city_hall_th(self) -> str:
        """Where the centre usually sits: the provincial hall (Bangkok's city hall)."""
        return "ศาลาว่าการกรุงเทพมหานคร" if self.is_bangkok else f"ศาลากลางจังหวัด{self.name_th}"


@cache
def _province(code: str, prefix_override: str) -> Province:
    found = geothai.province(code)
    if found is None or code not in PROVINCES:
        raise LookupError(f"PROVINCE_CODE {code!r} is not one of Thailand's 77 provinces")
    prefix, lat, lng = PROVINCES[code]
    return Province(
        code=code,
        name_th=found.name_th,
        name_en=found.name_en,
        tracking_prefix=prefix_override or prefix,
        latitude=lat,
        longitude=lng,
    )


def current() -> Province:
    """The configured province (read at each call, so tests may change the setting)."""
    return _province(str(settings.PROVINCE_CODE), getattr(settings, "TRACKING_PREFIX", "") or "")


def code() -> str:
    return current().code


def tracking_prefix() -> str:
    return current().tracking_prefix


@register()
def check_province(app_configs=None, **kwargs) -> list[Error]:
    """Refuse to start with a province geothai does not know or a prefix that would not fit the
    tracking-number pattern (two to five capital letters)."""
    errors = []
    try:
        current()
    except LookupError as error:
        errors.append(Error(str(error), hint="Set PROVINCE_CODE to e.g. 60", id="core.E101"))
    prefix = getattr(settings, "TRACKING_PREFIX", "") or ""
    if prefix and not PREFIX_RE.fullmatch(prefix):
        errors.append(
            Error(
                f"TRACKING_PREFIX {prefix!r} must be 2 to 5 capital letters A-Z",
                id="core.E102",
            )
        )
    return errors
