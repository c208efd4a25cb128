"""Each app adds its demo content by defining a ``demo.py`` module with loaders registered here.

``manage.py load_demo`` imports every app's ``demo`` module and runs the loaders in order, so that
``website`` never imports the apps that build on it.
"""

from collections.abc import Callable
from dataclasses import dataclass

_loaders: list["DemoLoader"] = []


@dataclass(frozen=True)
class DemoLoader:
    order: int
    name: str
    load: Callable[[Callable[[str], None]], None]


def register(order, name):
    """Register ``load(log)``: it must be idempotent, creating only what is missing."""

    def decorator(function):
        if not any(loader.name == name for loader in _loaders):
            _loaders.append(DemoLoader(order=order, name=name, load=function))
        return function

    return decorator


def loaders():
    return sorted(_loaders, key=lambda loader: (loader.order, loader.name))
