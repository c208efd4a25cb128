from .municipalities import Municipality, MunicipalityKind
from .pages import BasePage, ContentPage, HomePage
from .site_settings import NavigationSettings, SiteSettings

__all__ = [
    "BasePage",
    "ContentPage",
    "HomePage",
    "Municipality",
    "MunicipalityKind",
    "NavigationSettings",
    "SiteSettings",
]
