"""Demo content of the TOS app: the directory page, the three fictional TOS of domain.md §8.4 with projects, news,
photos and a charter, a demo leader and a demo moderator, a pending registration request, and the populations
of the municipalities that the coverage table divides by.

The demo accounts get no password (load_demo also runs on demonstration servers): an administrator sets one
with ``manage.py changepassword`` or the person uses «Забыли пароль?»; see README.
"""

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageColor, ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from accounts.roles import MODERATOR, TOS_LEADER
from tos.forms import photo_collection
from tos.models import (
    ActivityArea,
    DocumentKind,
    FundingSource,
    LegalForm,
    MembershipRole,
    NewsKind,
    ProjectStatus,
    RegistrationRequest,
    TOSCouncilMember,
    TOSDocument,
    TOSIndexPage,
    TOSMembership,
    TOSNewsItem,
    TOSProfilePage,
    TOSProject,
)
from website.demo_registry import register
from website.models import HomePage, Municipality, NavigationSettings

# --- Pictures -----------------------------------------------------------------------------------------------------
# Simple illustrations drawn at load time, so that the demo needs no image files in the repository.

WIDTH, HEIGHT, SCALE = 960, 640, 2
HORIZON = 380
SKY = ("#7fbbef", "#e3f3ff")
GRASS = "#8cc06b"
GREENS = ["#3f8f46", "#4f9a48", "#5aa84f", "#2f7d3f"]
BLOOMS = ["#e84a5f", "#ffb400", "#f6f0e8", "#b05cc8", "#ff7b54"]
SHIRTS = ["#2f6db5", "#d8453b", "#f2a93b", "#3a9d6b", "#7a4fb5", "#e06aa0"]


class Picture:
    """A picture drawn at twice its size and scaled down, so that the edges come out smooth."""

    def __init__(self, seed):
        self.rng = random.Random(seed)  # noqa: S311 - demo pictures, the same on every install
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), GRASS)
        self.draw = ImageDraw.Draw(self.image)
        top, bottom = ImageColor.getrgb(SKY[0]), ImageColor.getrgb(SKY[1])
        rows = HORIZON * SCALE
        for y in range(rows):
            share = y / rows
            colour = tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
            self.draw.line([(0, y), (WIDTH * SCALE, y)], fill=colour)

    def _points(self, points):
        return [(round(x * SCALE), round(y * SCALE)) for x, y in points]

    def rect(self, x0, y0, x1, y1, fill):
        self.draw.rectangle(self._points([(x0, y0), (x1, y1)]), fill=fill)

    def ellipse(self, x0, y0, x1, y1, fill=None, outline=None, width=0):
        self.draw.ellipse(self._points([(x0, y0), (x1, y1)]), fill=fill, outline=outline, width=width * SCALE)

    def circle(self, x, y, radius, fill):
        self.ellipse(x - radius, y - radius, x + radius, y + radius, fill)

    def polygon(self, points, fill):
        self.draw.polygon(self._points(points), fill=fill)

    def line(self, points, fill, width=2):
        self.draw.line(self._points(points), fill=fill, width=round(width * SCALE), joint="curve")

    def jpeg(self):
        buffer = io.BytesIO()
        self.image.reduce(SCALE).save(buffer, "JPEG", quality=85, optimize=True)
        return buffer.getvalue()


def sun(p, x, y):
    p.circle(x, y, 62, "#fff0b8")
    p.circle(x, y, 46, "#ffd44f")


def cloud(p, x, y, size=1.0):
    for dx, dy, radius in ((0, 0, 30), (32, -14, 36), (66, 0, 28), (30, 10, 30)):
        p.circle(x + dx * size, y + dy * size, radius * size, "#ffffff")


def tree(p, x, base, size=100):
    p.rect(x - size * 0.07, base - size * 0.8, x + size * 0.07, base, "#7a5230")
    dark, light = p.rng.sample(GREENS, 2)
    p.circle(x, base - size * 1.05, size * 0.5, dark)
    p.circle(x - size * 0.3, base - size * 0.85, size * 0.34, light)
    p.circle(x + size * 0.32, base - size * 0.9, size * 0.36, light)
    p.circle(x + size * 0.05, base - size * 1.3, size * 0.3, light)


def fir(p, x, base, size=110):
    p.rect(x - size * 0.06, base - size * 0.2, x + size * 0.06, base, "#6b4a2b")
    for step in range(3):
        y = base - size * 0.15 - step * size * 0.28
        half = size * (0.42 - step * 0.1)
        p.polygon([(x - half, y), (x + half, y), (x, y - size * 0.45)], "#2f6e3b")


def block_of_flats(p, x0, base, width, height, wall):
    p.rect(x0, base - height, x0 + width, base, wall)
    p.rect(x0 - 4, base - height - 10, x0 + width + 4, base - height, "#6d6f78")
    rows, columns = int((height - 30) // 34), int((width - 14) // 34)
    for row in range(rows):
        for column in range(columns):
            x, y = x0 + 14 + column * 34, base - height + 16 + row * 34
            lit = p.rng.random() < 0.18
            p.rect(x, y, x + 18, y + 22, "#ffe39a" if lit else "#bcdcf2")
    door = x0 + width / 2
    p.rect(door - 14, base - 34, door + 14, base, "#5b4636")


def house(p, x0, base, width, height, wall, roof):
    p.rect(x0, base - height, x0 + width, base, wall)
    p.polygon([(x0 - 14, base - height), (x0 + width + 14, base - height), (x0 + width / 2, base - height - 60)], roof)
    window = x0 + width * 0.22
    p.rect(window, base - height * 0.72, window + 34, base - height * 0.72 + 34, "#f5f1e6")
    p.rect(window + 4, base - height * 0.72 + 4, window + 30, base - height * 0.72 + 30, "#9cc9e8")
    p.rect(x0 + width * 0.64, base - height * 0.62, x0 + width * 0.64 + 30, base, "#6e4b2d")


def fence(p, x0, x1, base, colour="#b98a58"):
    x = x0
    while x <= x1:
        p.polygon([(x, base), (x + 10, base), (x + 10, base - 36), (x + 5, base - 44), (x, base - 36)], colour)
        x += 18
    p.rect(x0, base - 30, x1 + 10, base - 25, colour)
    p.rect(x0, base - 14, x1 + 10, base - 9, colour)


def bench(p, x, base, width=100, colour="#a8683a"):
    p.rect(x + 6, base - 22, x + 12, base, "#4a4a4a")
    p.rect(x + width - 12, base - 22, x + width - 6, base, "#4a4a4a")
    p.rect(x, base - 28, x + width, base - 20, colour)
    p.rect(x, base - 50, x + width, base - 42, colour)
    p.rect(x + 6, base - 50, x + 12, base - 28, "#4a4a4a")
    p.rect(x + width - 12, base - 50, x + width - 6, base - 28, "#4a4a4a")


def lamp(p, x, base, height=170):
    p.line([(x, base), (x, base - height)], "#4b4f58", 5)
    p.line([(x, base - height), (x + 26, base - height - 8)], "#4b4f58", 4)
    p.ellipse(x + 16, base - height - 10, x + 44, base - height + 2, "#fff1a8")


def person(p, x, base, shirt, height=96, skin="#f1c7a0"):
    leg = height * 0.42
    p.line([(x - 6, base), (x - 3, base - leg)], "#34394a", 5)
    p.line([(x + 6, base), (x + 3, base - leg)], "#34394a", 5)
    body_top = base - height * 0.82
    p.polygon([(x - 13, base - leg), (x + 13, base - leg), (x + 11, body_top), (x - 11, body_top)], shirt)
    p.line([(x - 11, body_top + 6), (x - 22, base - leg - 4)], shirt, 5)
    p.line([(x + 11, body_top + 6), (x + 22, base - leg - 4)], shirt, 5)
    p.circle(x, body_top - 12, height * 0.12, skin)


def flowers(p, x0, x1, base):
    x = x0
    while x < x1:
        p.line([(x, base), (x, base - 16)], "#3e8a3a", 2)
        p.circle(x, base - 18, 6, p.rng.choice(BLOOMS))
        x += 14


def river(p, y0, y1):
    p.rect(0, y0, WIDTH, y1, "#5b9fcf")
    for row in range(4):
        y = y0 + (row + 1) * (y1 - y0) / 5
        for x in range(20 + row * 40, WIDTH, 150):
            p.line([(x, y), (x + 40, y)], "#a9d2ee", 2)


def slide(p, x, base):
    p.ellipse(x - 60, base - 24, x + 260, base + 26, "#e07b62")
    p.rect(x, base - 120, x + 8, base, "#3d6fb6")
    p.rect(x + 62, base - 120, x + 70, base, "#3d6fb6")
    p.rect(x - 4, base - 124, x + 74, base - 112, "#3d6fb6")
    p.polygon([(x - 10, base - 170), (x + 80, base - 170), (x + 35, base - 210)], "#e0483b")
    p.rect(x + 2, base - 170, x + 6, base - 124, "#3d6fb6")
    p.rect(x + 64, base - 170, x + 68, base - 124, "#3d6fb6")
    p.polygon([(x + 70, base - 124), (x + 88, base - 124), (x + 200, base - 8), (x + 182, base - 8)], "#f4b23c")
    for step in range(5):
        y = base - 20 - step * 22
        p.line([(x - 30, y), (x - 4, y)], "#3d6fb6", 3)
    p.line([(x - 34, base), (x - 4, base - 120)], "#3d6fb6", 3)


def swing(p, x, base, width=170):
    p.line([(x, base), (x + 20, base - 170)], "#d8453b", 6)
    p.line([(x + 40, base), (x + 20, base - 170)], "#d8453b", 6)
    p.line([(x + width, base), (x + width + 20, base - 170)], "#d8453b", 6)
    p.line([(x + width + 40, base), (x + width + 20, base - 170)], "#d8453b", 6)
    p.line([(x + 20, base - 170), (x + width + 20, base - 170)], "#d8453b", 7)
    for seat in (x + 60, x + width - 40):
        p.line([(seat, base - 170), (seat, base - 48)], "#555", 2)
        p.line([(seat + 40, base - 170), (seat + 40, base - 48)], "#555", 2)
        p.rect(seat - 4, base - 50, seat + 44, base - 42, "#f4b23c")


def sandbox(p, x, base, width=150):
    p.polygon([(x, base), (x + width, base), (x + width - 20, base - 34), (x + 20, base - 34)], "#a8683a")
    p.polygon(
        [(x + 10, base - 6), (x + width - 10, base - 6), (x + width - 24, base - 28), (x + 24, base - 28)], "#f0d58c"
    )


def well(p, x, base):
    p.rect(x, base - 76, x + 96, base, "#9a6a3c")
    for row in range(1, 5):
        p.line([(x, base - row * 16), (x + 96, base - row * 16)], "#74502c", 3)
    p.rect(x + 6, base - 170, x + 12, base - 76, "#74502c")
    p.rect(x + 84, base - 170, x + 90, base - 76, "#74502c")
    p.polygon([(x - 18, base - 160), (x + 114, base - 160), (x + 48, base - 222)], "#8b3a2b")
    p.line([(x + 12, base - 130), (x + 84, base - 130)], "#5b3b1f", 5)
    p.line([(x + 48, base - 130), (x + 48, base - 100)], "#555", 2)
    p.rect(x + 38, base - 100, x + 58, base - 82, "#7d8a96")


def gazebo(p, x, base, width=210):
    p.rect(x - 20, base - 8, x + width + 20, base + 4, "#c9b48f")
    for post in (x, x + width / 2 - 4, x + width - 8):
        p.rect(post, base - 140, post + 8, base, "#8a5a32")
    p.polygon([(x - 30, base - 136), (x + width + 30, base - 136), (x + width / 2, base - 210)], "#2f6f8f")
    p.rect(x + 30, base - 56, x + width - 30, base - 48, "#a8683a")
    p.rect(x + width / 2 - 4, base - 48, x + width / 2 + 4, base, "#4a4a4a")


def stele(p, x, base):
    p.rect(x - 60, base - 30, x + 60, base, "#9aa0a8")
    p.polygon(
        [(x - 26, base - 30), (x + 26, base - 30), (x + 14, base - 220), (x, base - 250), (x - 14, base - 220)],
        "#c5c9cf",
    )
    star = [(x, base - 210), (x + 5, base - 196), (x + 19, base - 196), (x + 8, base - 188), (x + 12, base - 174)]
    star += [(x, base - 183), (x - 12, base - 174), (x - 8, base - 188), (x - 19, base - 196), (x - 5, base - 196)]
    p.polygon(star, "#d03a32")


def court(p, x0, y0, x1, y1):
    p.rect(x0, y0, x1, y1, "#3f9e6f")
    p.line([(x0 + 10, y0 + 8), (x1 - 10, y0 + 8), (x1 - 10, y1 - 8), (x0 + 10, y1 - 8), (x0 + 10, y0 + 8)], "#fff", 3)
    middle = (x0 + x1) / 2
    p.line([(middle, y0 + 8), (middle, y1 - 8)], "#fff", 3)
    p.ellipse(middle - 40, (y0 + y1) / 2 - 22, middle + 40, (y0 + y1) / 2 + 22, outline="#fff", width=3)


def goal(p, x, base, width=110, height=70):
    for dx in range(0, width + 1, 14):
        p.line([(x + dx, base), (x + dx, base - height)], "#d5dbe0", 1)
    for dy in range(0, height + 1, 14):
        p.line([(x, base - dy), (x + width, base - dy)], "#d5dbe0", 1)
    p.line([(x, base), (x, base - height), (x + width, base - height), (x + width, base)], "#ffffff", 5)


def bars(p, x, base):
    for post, height in ((x, 150), (x + 90, 150), (x + 180, 110)):
        p.rect(post, base - height, post + 7, base, "#4b4f58")
    p.line([(x, base - 146), (x + 97, base - 146)], "#b8bec6", 4)
    p.line([(x + 90, base - 106), (x + 187, base - 106)], "#b8bec6", 4)


def bunting(p, x0, x1, y):
    p.line([(x0, y), ((x0 + x1) / 2, y + 30), (x1, y)], "#666", 2)
    steps = 12
    for index in range(steps):
        share = (index + 0.5) / steps
        x = x0 + (x1 - x0) * share
        top = y + 30 * (1 - abs(2 * share - 1))
        p.polygon([(x - 14, top), (x + 14, top), (x, top + 30)], BLOOMS[index % len(BLOOMS)])


def sapling(p, x, base):
    p.ellipse(x - 30, base - 8, x + 30, base + 8, "#7a5a3a")
    p.line([(x + 10, base), (x + 10, base - 90)], "#c8a26a", 3)
    p.line([(x, base), (x, base - 70)], "#6b4a2b", 4)
    p.circle(x, base - 80, 22, "#6fbf5a")


def car(p, x, base, colour):
    p.polygon(
        [
            (x, base - 20),
            (x + 150, base - 20),
            (x + 150, base - 50),
            (x + 110, base - 54),
            (x + 90, base - 80),
            (x + 40, base - 80),
            (x + 20, base - 54),
            (x, base - 50),
        ],
        colour,
    )
    p.polygon([(x + 46, base - 74), (x + 86, base - 74), (x + 100, base - 54), (x + 34, base - 54)], "#cfe6f5")
    for wheel in (x + 32, x + 118):
        p.circle(wheel, base - 16, 16, "#2b2b2b")
        p.circle(wheel, base - 16, 6, "#9aa0a8")


def boat(p, x, y):
    p.polygon([(x, y), (x + 90, y), (x + 74, y + 18), (x + 14, y + 18)], "#f4f1ea")
    p.line([(x + 44, y), (x + 44, y - 60)], "#555", 2)
    p.polygon([(x + 46, y - 58), (x + 46, y - 6), (x + 82, y - 6)], "#e84a5f")


def playground(p):
    sun(p, 470, 80)
    cloud(p, 110, 60)
    block_of_flats(p, 20, HORIZON + 10, 300, 250, "#e9d9c2")
    block_of_flats(p, 600, HORIZON + 10, 340, 280, "#d8e2e6")
    tree(p, 420, HORIZON + 40, 120)
    tree(p, 520, HORIZON + 30, 100)
    slide(p, 120, 560)
    swing(p, 520, 560)
    sandbox(p, 780, 600)
    bench(p, 360, 610)


def playground_with_children(p):
    sun(p, 120, 90)
    cloud(p, 600, 70, 1.2)
    block_of_flats(p, 500, HORIZON + 10, 440, 260, "#efe0cc")
    tree(p, 140, HORIZON + 40, 130)
    tree(p, 300, HORIZON + 20, 100)
    swing(p, 80, 560, 190)
    person(p, 180, 520, SHIRTS[4], 56)
    person(p, 420, 600, SHIRTS[1], 62)
    person(p, 470, 604, SHIRTS[2], 58)
    bench(p, 620, 600, 130)
    person(p, 660, 590, SHIRTS[0], 92)
    person(p, 720, 592, SHIRTS[3], 90)
    flowers(p, 790, 940, 630)


def memorial_alley(p):
    cloud(p, 680, 80)
    p.polygon([(420, HORIZON), (540, HORIZON), (760, HEIGHT), (200, HEIGHT)], "#d9c8a6")
    for row in range(1, 7):
        y = HORIZON + row * 40
        share = (y - HORIZON) / (HEIGHT - HORIZON)
        p.line([(420 - 220 * share, y), (540 + 220 * share, y)], "#c4b18c", 2)
    for index, (x, base, size) in enumerate(
        ((330, 420, 70), (250, 480, 95), (140, 560, 130), (620, 420, 70), (700, 480, 95), (820, 560, 130))
    ):
        tree(p, x, base, size + index % 2 * 6)
    stele(p, 480, HORIZON + 20)
    flowers(p, 410, 550, HORIZON + 40)
    bench(p, 250, 610, 110)
    bench(p, 620, 610, 110)


def tree_planting(p):
    sun(p, 840, 100)
    block_of_flats(p, 40, HORIZON + 10, 360, 240, "#e3d4bd")
    for x in (120, 300, 480, 660, 840):
        sapling(p, x, 560 - (x // 60) % 3 * 8)
    person(p, 210, 600, SHIRTS[2])
    person(p, 380, 606, SHIRTS[0])
    person(p, 560, 598, SHIRTS[3], 60)
    person(p, 740, 604, SHIRTS[1])


def courtyard(p):
    cloud(p, 420, 70, 1.1)
    block_of_flats(p, 10, HORIZON + 20, 280, 300, "#f0e3cf")
    block_of_flats(p, 330, HORIZON + 20, 300, 260, "#d7e4ea")
    block_of_flats(p, 670, HORIZON + 20, 280, 300, "#f0e3cf")
    for x in (70, 300, 640, 900):
        tree(p, x, HORIZON + 90, 110)
    p.rect(0, 500, WIDTH, 540, "#9aa0a8")
    car(p, 120, 540, "#d8453b")
    car(p, 520, 540, "#2f6db5")
    lamp(p, 390, 620)
    bench(p, 440, 620)
    flowers(p, 600, 900, 626)


def village_well(p):
    sun(p, 140, 100)
    house(p, 580, HORIZON + 40, 220, 130, "#c98d4e", "#7a3b2e")
    fir(p, 880, HORIZON + 60, 150)
    fence(p, 440, 940, HORIZON + 80)
    well(p, 260, 560)
    bench(p, 80, 600)
    bench(p, 440, 600)
    flowers(p, 560, 760, 600)


def rest_area(p):
    cloud(p, 200, 80)
    cloud(p, 700, 110, 0.8)
    tree(p, 90, HORIZON + 60, 140)
    tree(p, 860, HORIZON + 50, 130)
    fir(p, 720, HORIZON + 30, 120)
    gazebo(p, 320, 560)
    bench(p, 120, 610)
    flowers(p, 600, 820, 600)
    well(p, 640, 590)


def residents_meeting(p):
    house(p, 300, HORIZON + 30, 360, 160, "#d9b58a", "#5f7d4a")
    tree(p, 120, HORIZON + 50, 130)
    tree(p, 840, HORIZON + 50, 130)
    bunting(p, 60, 900, 250)
    p.rect(330, 520, 630, 536, "#a8683a")
    p.rect(345, 536, 355, 590, "#6b4a2b")
    p.rect(605, 536, 615, 590, "#6b4a2b")
    for index, x in enumerate((250, 330, 420, 540, 630, 710)):
        person(p, x, 610 + index % 2 * 8, SHIRTS[index % len(SHIRTS)])


def village(p):
    sun(p, 820, 90)
    p.polygon([(0, 520), (WIDTH, 470), (WIDTH, 520), (0, 580)], "#cbb48e")
    for index, x in enumerate((40, 300, 560)):
        house(
            p,
            x,
            470 - index * 14,
            190,
            110,
            ("#c98d4e", "#e0c27a", "#9bb7c9")[index],
            ("#7a3b2e", "#4f6d3a", "#7a3b2e")[index],
        )
    fence(p, 0, 900, 500)
    fir(p, 860, 470, 160)
    tree(p, 250, 600, 120)
    tree(p, 700, 620, 130)


def sports_ground(p):
    fir(p, 60, 300, 120)
    for x in range(120, WIDTH, 90):
        tree(p, x, 300, 70 + x % 3 * 10)
    river(p, 300, 380)
    boat(p, 640, 350)
    court(p, 40, 420, 640, 620)
    goal(p, 60, 560, 70, 60)
    goal(p, 550, 560, 70, 60)
    bars(p, 690, 610)


def sports_game(p):
    river(p, 290, 380)
    for x in range(40, WIDTH, 110):
        tree(p, x, 290, 80)
    court(p, 20, 410, 940, 630)
    goal(p, 40, 560, 80, 70)
    for index, x in enumerate((260, 380, 520, 640, 760)):
        person(p, x, 590 - index % 2 * 30, SHIRTS[index % 2])
    p.circle(460, 596, 12, "#ffffff")


def embankment(p):
    sun(p, 120, 90)
    for x in range(200, WIDTH, 100):
        tree(p, x, 250, 70)
    river(p, 250, 430)
    boat(p, 300, 330)
    boat(p, 700, 380)
    p.rect(0, 430, WIDTH, 470, "#b8bec6")
    p.rect(0, 470, WIDTH, 520, "#d9c8a6")
    for x in range(40, WIDTH, 200):
        lamp(p, x, 520, 160)
    bench(p, 120, 560)
    bench(p, 520, 560)
    flowers(p, 240, 480, 600)
    flowers(p, 660, 900, 600)


def river_cleanup(p):
    for x in range(40, WIDTH, 120):
        fir(p, x, 260, 90)
    river(p, 260, 400)
    p.polygon([(0, 400), (WIDTH, 400), (WIDTH, 430), (0, 450)], "#cdbb94")
    for index, x in enumerate((200, 340, 520, 700)):
        person(p, x, 580 + index % 2 * 12, SHIRTS[(index + 2) % len(SHIRTS)])
    for x in (420, 450, 800, 830):
        p.polygon([(x, 600), (x + 26, 600), (x + 30, 570), (x + 13, 550), (x - 4, 570)], "#3b4a63")


SCENES = {
    "playground": playground,
    "playground_with_children": playground_with_children,
    "memorial_alley": memorial_alley,
    "tree_planting": tree_planting,
    "courtyard": courtyard,
    "village_well": village_well,
    "rest_area": rest_area,
    "residents_meeting": residents_meeting,
    "village": village,
    "sports_ground": sports_ground,
    "sports_game": sports_game,
    "embankment": embankment,
    "river_cleanup": river_cleanup,
}


def draw_scene(name):
    picture = Picture(seed=name)
    SCENES[name](picture)
    return picture.jpeg()


# --- Content ------------------------------------------------------------------------------------------------------

INDEX = {
    "title": "ТОС Калужской области",
    "slug": "tos",
    "summary": (
        "Реестр территориального общественного самоуправления Калужской области: профили ТОС, их проекты, "
        "новости, карта и охват жителей по муниципалитетам."
    ),
    "intro": (
        "<p><b>Территориальное общественное самоуправление (ТОС)</b> — это самоорганизация жителей по месту "
        "жительства на части территории муниципального образования: подъезда, дома, группы домов, микрорайона, "
        "сельского населённого пункта. Жители сами решают местные вопросы — благоустраивают дворы, ухаживают "
        "за памятными местами, помогают соседям, проводят праздники и спортивные события — напрямую или через "
        "избранные органы ТОС (статья 27 Федерального закона от 06.10.2003 № 131-ФЗ).</p>"
        "<p>Границы территории ТОС устанавливает представительный орган муниципального образования "
        "по предложению жителей. ТОС считается учреждённым с момента регистрации его устава; он может быть "
        "юридическим лицом — некоммерческой организацией — или действовать без образования юридического лица. "
        "Новый базовый закон о местном самоуправлении — Федеральный закон от 20.03.2025 № 33-ФЗ "
        "«Об общих принципах организации местного самоуправления в единой системе публичной власти» — "
        "сохраняет ТОС и инициативные проекты жителей.</p>"
        "<p>В реестре — профили ТОС: территория на карте, совет, проекты с фотографиями, новости, события "
        "и контакты. Профиль ведёт председатель ТОС из личного кабинета; изменения появляются на сайте после "
        "проверки модератором. Чтобы добавить в реестр свой ТОС, войдите на сайт и "
        '<a href="{request_url}">подайте заявку на регистрацию</a>.</p>'
        "<p><i>Профили с пометкой «(демо)» вымышлены: имена, адреса и номера в них — образец заполнения.</i></p>"
    ),
}

AREA_IMPROVEMENT = "Благоустройство и охрана памятников"
AREA_SPORT = "Здоровый образ жизни, физкультура и спорт"
AREA_CULTURE = "Культура и досуг"
AREA_ECOLOGY = "Экология и озеленение"
AREA_SOCIAL = "Социальная помощь"
AREA_YOUTH = "Дети и молодёжь"
AREA_SAFETY = "Безопасность и правопорядок"

# Demo identifiers of the TOS that is a legal entity: zeros where a real number has the tax office and the serial
# number, control digits computed by tos.validators, so the numbers pass the checks and belong to no organisation.
DEMO_INN = "4000000008"
DEMO_OGRN = "1224000000003"

PROFILES = [
    {
        "page": {
            "title": "ТОС «Солнечный квартал» (демо)",
            "slug": "solnechnyj-kvartal-demo",
            "summary": (
                "Одиннадцать многоквартирных домов в Калуге: детская площадка по инициативному бюджету, "
                "аллея памяти, праздники двора."
            ),
            "settlement": "",
            "about": (
                "ТОС «Солнечный квартал» объединяет жителей одиннадцати многоквартирных домов на улице Примерной "
                "и в переулке Тестовом. Мы начали с субботников и общего чата дома, а в 2019 году провели "
                "учредительную конференцию и зарегистрировали устав.\n\n"
                "За это время жители построили детскую площадку «Дворик детства» по программе инициативного "
                "бюджетирования, заложили аллею памяти с липами и памятным знаком, каждый год проводят праздник "
                "двора. Совет ТОС собирается раз в месяц; приём жителей — по вторникам.\n\n"
                "Вступить в ТОС может любой житель квартала старше 16 лет: приходите на приём или напишите "
                "на почту.\n\n"
                "Это демонстрационный профиль: ТОС, люди, адреса и номера вымышлены."
            ),
            "boundaries_text": "ул. Примерная, д. 1–15; пер. Тестовый, д. 2–8 (демо)",
            "boundaries_act": "решение Городской Думы г. Калуги от 20.02.2019 № 00 (демо)",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[36.2450, 54.5178], [36.2552, 54.5182], [36.2558, 54.5226], [36.2462, 54.5231], [36.2450, 54.5178]]
                ],
            },
            "founded_at": date(2019, 3, 12),
            "charter_registered_at": date(2019, 4, 2),
            "charter_number": "0-000 (демо)",
            "legal_form": LegalForm.NO_LEGAL_ENTITY,
            "chair_name": "Иванова Анна Петровна",
            "residents_count": 2400,
            "households_count": 1050,
            "apartment_buildings_count": 11,
            "area_ha": Decimal("18.50"),
            "phone": "+7 (4842) 00-00-01",
            "email": "demo@example.org",
            "social_url": "https://example.org/vk/solnechnyj-kvartal-demo",
            "address": "г. Калуга, ул. Примерная, д. 7, помещение совета ТОС (демо)",
            "reception_hours": "вторник, 18:00–20:00",
        },
        "municipality": "Калуга",
        "areas": [AREA_IMPROVEMENT, AREA_CULTURE, AREA_YOUTH, AREA_ECOLOGY],
        "gallery": ("courtyard", "Двор квартала: многоэтажные дома, деревья, парковка и скамейка у фонаря (демо)"),
        "council": [
            ("Кузнецова Мария Викторовна", "заместитель председателя", True),
            ("Орлов Игорь Дмитриевич", "секретарь совета", True),
            ("Лебедева Татьяна Сергеевна", "член совета", False),
        ],
        "projects": [
            {
                "title": "Дворик детства (демо)",
                "year": 2022,
                "area": AREA_IMPROVEMENT,
                "funding_source": FundingSource.INITIATIVE_BUDGETING,
                "amount": Decimal("1200000.00"),
                "residents_share": Decimal("5.00"),
                "status": ProjectStatus.COMPLETED,
                "description": (
                    "Детская игровая площадка во дворе домов 3–7 по ул. Примерной: горка, качели, песочница, "
                    "ударопоглощающее покрытие и скамейки для родителей. Проект предложили жители на собрании ТОС, "
                    "он прошёл конкурсный отбор инициативных проектов города. Жители собрали 5 % стоимости, "
                    "сами покрасили ограждение и высадили цветы."
                ),
                "photos": [
                    ("playground", "Новая детская площадка с горкой, качелями и песочницей во дворе домов 3–7 (демо)"),
                    ("playground_with_children", "Дети качаются на новых качелях, родители сидят на скамейке (демо)"),
                ],
            },
            {
                "title": "Аллея памяти (демо)",
                "year": 2024,
                "area": AREA_IMPROVEMENT,
                "funding_source": FundingSource.TOS_COMPETITION,
                "amount": Decimal("450000.00"),
                "residents_share": Decimal("10.00"),
                "status": ProjectStatus.COMPLETED,
                "description": (
                    "Аллея из тридцати лип в честь жителей квартала — участников Великой Отечественной войны: "
                    "памятный знак, дорожка из плитки и скамейки. Липы высаживали всем кварталом, имена для "
                    "памятного знака собирали по семейным архивам. Проект поддержан в региональном конкурсе ТОС, "
                    "номинация «Благоустройство, охрана памятников»."
                ),
                "photos": [("memorial_alley", "Аллея лип с дорожкой из плитки, скамейками и памятным знаком (демо)")],
            },
            {
                "title": "Освещение двора (демо)",
                "year": 2027,
                "area": AREA_SAFETY,
                "funding_source": FundingSource.INITIATIVE_BUDGETING,
                "amount": Decimal("780000.00"),
                "residents_share": Decimal("5.00"),
                "status": ProjectStatus.APPLIED,
                "description": (
                    "Двенадцать светодиодных светильников вдоль внутриквартального проезда и у детской площадки. "
                    "Жители выбрали проект на собрании; заявка подана на отбор инициативных проектов."
                ),
                "photos": [],
            },
        ],
        "news": [
            {
                "title": "Жители выбрали следующий проект — освещение двора",
                "days_ago": 20,
                "text": (
                    "На собрании жителей за освещение внутриквартального проезда проголосовали 312 человек. "
                    "Совет ТОС подготовил заявку на отбор инициативных проектов; жители соберут 5 % стоимости. "
                    "Итоги отбора опубликуем здесь."
                ),
            },
            {
                "title": "На аллее памяти высадили ещё десять лип",
                "days_ago": 45,
                "text": (
                    "Саженцы купили на собранные жителями деньги, ямы подготовили коммунальные службы. "
                    "Спасибо всем, кто пришёл с лопатами и лейками, — особенно ребятам из школьного "
                    "волонтёрского отряда."
                ),
                "picture": ("tree_planting", "Жители сажают молодые липы вдоль дорожки у многоэтажного дома (демо)"),
            },
        ],
        "event": {
            "title": "Общее собрание жителей: отчёт совета ТОС и план на следующий год",
            "in_days": 12,
            "at": time(18, 30),
            "place": "Актовый зал школы, ул. Примерная, д. 10 (демо)",
            "text": (
                "Совет ТОС расскажет, что сделано за год, сколько собрано и потрачено, и предложит план работ. "
                "Приходите с предложениями: по ним будем выбирать проект на следующий конкурс."
            ),
        },
        "charter": {
            "title": "Устав ТОС «Солнечный квартал» (демо)",
            "filename": "ustav-tos-solnechnyj-kvartal-demo.txt",
        },
    },
    {
        "page": {
            "title": "ТОС «Деревня Липки» (демо)",
            "slug": "derevnya-lipki-demo",
            "summary": "Вся деревня Липки в Перемышльском районе: колодец и зона отдыха, помощь пожилым соседям.",
            "settlement": "сельское поселение «Село Перемышль» (демо), д. Липки",
            "about": (
                "ТОС «Деревня Липки» — это вся деревня: 74 двора, большинство жителей — пенсионеры, летом "
                "приезжают дачники. ТОС учредили в 2021 году, чтобы вместе приводить деревню в порядок "
                "и участвовать в конкурсах поддержки ТОС.\n\n"
                "Первый большой проект — восстановленный общественный колодец и зона отдыха с беседкой. "
                "Волонтёры ТОС помогают одиноким пожилым соседям: привозят продукты и лекарства, "
                "чистят дорожки.\n\n"
                "Это демонстрационный профиль: ТОС, люди и номера вымышлены."
            ),
            "boundaries_text": "д. Липки полностью (демо)",
            "boundaries_act": "решение Сельской Думы сельского поселения «Село Перемышль» от 28.04.2021 № 00 (демо)",
            "geometry": {"type": "Point", "coordinates": [36.2000, 54.2700]},
            "founded_at": date(2021, 5, 20),
            "charter_registered_at": date(2021, 6, 15),
            "charter_number": "0-001 (демо)",
            "legal_form": LegalForm.NO_LEGAL_ENTITY,
            "chair_name": "Петров Сергей Николаевич",
            "residents_count": 180,
            "households_count": 74,
            "apartment_buildings_count": 0,
            "area_ha": Decimal("42.00"),
            "phone": "+7 (48441) 0-00-02",
            "email": "lipki.demo@example.org",
            "address": "д. Липки, ул. Центральная, д. 12 (демо)",
            "reception_hours": "суббота, 10:00–12:00",
        },
        "municipality": "Перемышльский",
        "areas": [AREA_IMPROVEMENT, AREA_SOCIAL, AREA_CULTURE],
        "gallery": ("village", "Деревенская улица: три дома за забором, ели и яблони (демо)"),
        "council": [
            ("Петрова Галина Ивановна", "секретарь совета", True),
            ("Соколов Николай Андреевич", "член совета", True),
        ],
        "projects": [
            {
                "title": "Колодец и зона отдыха (демо)",
                "year": 2023,
                "area": AREA_IMPROVEMENT,
                "funding_source": FundingSource.TOS_COMPETITION,
                "amount": Decimal("380000.00"),
                "residents_share": Decimal("7.00"),
                "status": ProjectStatus.COMPLETED,
                "description": (
                    "Восстановили общественный колодец в центре деревни: новый сруб, крыша, ворот, очистка "
                    "и анализ воды. Рядом — беседка, скамейки и цветник. Проект победил в региональном конкурсе ТОС "
                    "в номинации «Благоустройство, охрана памятников»; жители внесли 7 % стоимости и работали "
                    "на субботниках."
                ),
                "photos": [
                    ("village_well", "Восстановленный колодец с деревянной крышей, скамейки и цветник (демо)"),
                    ("rest_area", "Зона отдыха у колодца: беседка со столом, скамейка, деревья (демо)"),
                ],
            },
        ],
        "news": [
            {
                "title": "Волонтёры ТОС помогают пожилым соседям",
                "days_ago": 30,
                "text": (
                    "Восемь жителей раз в неделю привозят продукты и лекарства одиноким пенсионерам деревни. "
                    "Если помощь нужна вам или соседу, позвоните председателю ТОС."
                ),
            },
            {
                "title": "Собрание жителей выбрало проект на конкурс ТОС",
                "days_ago": 75,
                "text": (
                    "Жители решили участвовать в следующем региональном конкурсе ТОС с проектом детской площадки "
                    "у сельского клуба. Совет ТОС готовит смету и документы."
                ),
                "picture": ("residents_meeting", "Жители деревни собрались у клуба, украшенного флажками (демо)"),
            },
        ],
        "event": {
            "title": "Встреча жителей с главой администрации сельского поселения",
            "in_days": 16,
            "at": time(11, 0),
            "place": "Сельский клуб, д. Липки (демо)",
            "text": "Обсудим ремонт дороги к деревне, вывоз мусора и проект детской площадки. Вопросы можно передать "
            "председателю ТОС заранее.",
        },
    },
    {
        "page": {
            "title": "ТОС «Окская набережная» (демо)",
            "slug": "okskaya-naberezhnaya-demo",
            "summary": "Улица Набережная в Тарусе: спортплощадка у Оки, субботники на берегу, краеведческие прогулки.",
            "settlement": "ГП «Город Таруса»",
            "about": (
                "ТОС «Окская набережная» объединяет жителей улицы Набережной в Тарусе — шесть многоквартирных "
                "и несколько десятков частных домов вдоль Оки. ТОС зарегистрирован как некоммерческая "
                "организация: так ему проще получать гранты и заключать договоры.\n\n"
                "Жители построили спортивную площадку у набережной, дважды в год проводят субботники на берегу "
                "и водят краеведческие прогулки для гостей города.\n\n"
                "Это демонстрационный профиль: ТОС и люди вымышлены. ИНН и ОГРН — демонстрационные номера: "
                "они проходят проверку контрольных цифр, но не принадлежат никакой организации."
            ),
            "boundaries_text": "ул. Набережная, д. 1–40 (демо)",
            "boundaries_act": "решение Городской Думы ГП «Город Таруса» от 25.08.2022 № 00 (демо)",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [37.1690, 54.7193],
                        [37.1800, 54.7198],
                        [37.1905, 54.7206],
                        [37.1902, 54.7222],
                        [37.1797, 54.7214],
                        [37.1688, 54.7209],
                        [37.1690, 54.7193],
                    ]
                ],
            },
            "founded_at": date(2022, 9, 10),
            "charter_registered_at": date(2022, 10, 1),
            "charter_number": "0-002 (демо)",
            "legal_form": LegalForm.LEGAL_ENTITY,
            "inn": DEMO_INN,
            "ogrn": DEMO_OGRN,
            "chair_name": "Сидорова Елена Викторовна",
            "residents_count": 950,
            "households_count": 410,
            "apartment_buildings_count": 6,
            "area_ha": Decimal("12.00"),
            "phone": "+7 (48435) 0-00-03",
            "email": "naberezhnaya.demo@example.org",
            "address": "г. Таруса, ул. Набережная, д. 12 (демо)",
            "reception_hours": "четверг, 17:00–19:00",
        },
        "municipality": "Тарусский",
        "areas": [AREA_SPORT, AREA_ECOLOGY, AREA_CULTURE],
        "gallery": ("embankment", "Набережная Оки: прогулочная дорожка с фонарями, скамейки и лодки на реке (демо)"),
        "council": [
            ("Фёдоров Алексей Павлович", "заместитель председателя", True),
            ("Никитина Ольга Сергеевна", "казначей", True),
        ],
        "projects": [
            {
                "title": "Спортплощадка у набережной (демо)",
                "year": 2024,
                "area": AREA_SPORT,
                "funding_source": FundingSource.TOS_COMPETITION,
                "amount": Decimal("950000.00"),
                "residents_share": Decimal("10.00"),
                "status": ProjectStatus.COMPLETED,
                "description": (
                    "Площадка для мини-футбола и баскетбола с травмобезопасным покрытием, ворота, турники "
                    "и брусья у набережной. Проект поддержан в региональном конкурсе ТОС в номинации "
                    "«Формирование здорового образа жизни, физическая культура и спорт»; жители и местные "
                    "предприниматели внесли 10 % стоимости."
                ),
                "photos": [
                    ("sports_ground", "Спортивная площадка с воротами и турниками на берегу Оки (демо)"),
                    ("sports_game", "Подростки играют в мини-футбол на новой площадке у реки (демо)"),
                ],
            },
        ],
        "news": [
            {
                "title": "Субботник на берегу Оки: собрали 40 мешков мусора",
                "days_ago": 40,
                "text": (
                    "На субботник вышли 35 жителей и гости города. Очистили берег от моста до лодочной станции, "
                    "покрасили скамейки на набережной. Мешки вывезла управляющая компания."
                ),
                "picture": ("river_cleanup", "Жители с мешками для мусора убирают берег реки (демо)"),
            },
            {
                "title": "Открыта спортплощадка у набережной",
                "days_ago": 120,
                "text": (
                    "Площадка открыта каждый день с 8:00 до 22:00. Секция мини-футбола для школьников занимается "
                    "по средам и субботам — записывайтесь у председателя ТОС."
                ),
            },
        ],
        "event": {
            "title": "Краеведческая прогулка по набережной",
            "in_days": 9,
            "at": time(12, 0),
            "place": "Сбор у дома 1 по ул. Набережной (демо)",
            "text": "Прогулка на полтора часа: история набережной, старые дома и их жители. Участие бесплатное.",
        },
    },
]

CHARTER_TEXT = """УСТАВ
территориального общественного самоуправления «Солнечный квартал» (демо)

Демонстрационный документ: текст сокращён, ТОС и все сведения вымышлены.

Принят учредительной конференцией жителей 12.03.2019.
Зарегистрирован 02.04.2019, регистрационный № 0-000 (демо).

1. Территория. ТОС осуществляется в границах, установленных решением представительного органа
   муниципального образования: ул. Примерная, д. 1–15; пер. Тестовый, д. 2–8.

2. Цели, задачи, формы и основные направления деятельности. Благоустройство и озеленение территории,
   сохранение памятных мест, досуг детей и взрослых, помощь нуждающимся жителям, участие в инициативных
   проектах и конкурсах поддержки ТОС.

3. Органы ТОС. Высший орган — собрание (конференция) жителей. Между собраниями работает совет ТОС,
   избираемый на 3 года; совет возглавляет председатель. Порядок избрания, права, обязанности и
   прекращение полномочий органов ТОС определяются настоящим уставом.

4. Принятие решений. Собрание правомочно, если в нём участвует не менее одной трети жителей территории,
   достигших шестнадцатилетнего возраста; решения принимаются большинством голосов участников.

5. Имущество и финансы. ТОС использует средства жителей, гранты и субсидии по целевому назначению
   и ежегодно отчитывается перед жителями.

6. Прекращение деятельности. ТОС прекращает деятельность по решению собрания (конференции) жителей
   или по решению суда.
"""

# Resident population of the municipalities, rounded approximations for 1 January 2024 (demo figures: replace
# them with Kalugastat's data in the admin). Only empty populations are filled.
POPULATION_YEAR = 2024
POPULATIONS = {
    "Бабынинский": 19_600,
    "Барятинский": 5_800,
    "Боровский": 60_500,
    "Дзержинский": 55_500,
    "Думиничский": 11_300,
    "Жиздринский": 9_900,
    "Жуковский": 59_000,
    "Износковский": 6_400,
    "Кировский": 35_800,
    "Козельский": 35_900,
    "Куйбышевский": 7_400,
    "Людиновский": 39_600,
    "Малоярославецкий": 52_800,
    "Медынский": 11_000,
    "Мещовский": 10_100,
    "Мосальский": 7_600,
    "Перемышльский": 13_100,
    "Спас-Деменский": 6_600,
    "Сухиничский": 20_700,
    "Тарусский": 14_400,
    "Ульяновский": 6_200,
    "Ферзиковский": 17_300,
    "Хвастовичский": 8_800,
    "Юхновский": 11_500,
    "Калуга": 357_000,
    "Обнинск": 126_000,
}

LEADER = {
    "username": "lider.demo",
    "email": "lider.demo@example.org",
    "first_name": "Анна",
    "middle_name": "Петровна",
    "last_name": "Иванова",
}
MODERATOR_ACCOUNT = {
    "username": "moderator.demo",
    "email": "moderator.demo@example.org",
    "first_name": "Ольга",
    "middle_name": "Игоревна",
    "last_name": "Смирнова",
}
RESIDENT = {
    "username": "zhitel.demo",
    "email": "zhitel.demo@example.org",
    "first_name": "Дмитрий",
    "middle_name": "Алексеевич",
    "last_name": "Кузнецов",
}
REQUEST = {
    "name": "ТОС «Берёзовая роща» (демо)",
    "settlement": "",
    "boundaries_text": "ул. Берёзовая, д. 1–12; ул. Лесная, д. 3–9 (демо)",
    "residents_count": 640,
    "leader_name": "Кузнецов Дмитрий Алексеевич",
    "leader_email": "zhitel.demo@example.org",
    "leader_phone": "+7 (484) 000-00-04",
    "comment": (
        "Устав зарегистрирован в администрации города, копию свидетельства пришлю по запросу. "
        "Хотим вести профиль сами и участвовать в конкурсе ТОС (демо)."
    ),
}
REQUEST_MUNICIPALITY = "Обнинск"


# --- Loader -------------------------------------------------------------------------------------------------------


def _picture(scene, alt_text):
    """A Wagtail image of a drawn scene in the TOS photo collection; ``alt_text`` says what it shows."""
    image = get_image_model()(
        title=alt_text[:255],
        description=alt_text,
        file=ImageFile(io.BytesIO(draw_scene(scene)), name=f"tos-demo-{scene.replace('_', '-')}.jpg"),
        collection=photo_collection(),
    )
    image.save()
    image.contextual_alt_text, image.decorative = alt_text, False
    return image


def _charter(spec):
    document = get_document_model()(
        title=spec["title"], file=ContentFile(CHARTER_TEXT.encode("utf-8"), name=spec["filename"])
    )
    document.save()
    return document


def _moscow(day, at):
    return timezone.make_aware(datetime.combine(day, at))


def _build_profile(spec, areas):
    today = timezone.localdate()
    page = TOSProfilePage(municipality=Municipality.objects.get(short_name=spec["municipality"]), **spec["page"])
    page.activity_areas = [areas[name] for name in spec["areas"] if name in areas]
    page.gallery = [("photo", _picture(*spec["gallery"]))]
    page.council_members = [
        TOSCouncilMember(name=name, position=position, consent_to_publish=consent, sort_order=order)
        for order, (name, position, consent) in enumerate(spec["council"])
    ]
    page.projects = [
        TOSProject(
            sort_order=order,
            title=project["title"],
            year=project["year"],
            activity_area=areas.get(project["area"]),
            funding_source=project["funding_source"],
            amount=project["amount"],
            residents_share=project["residents_share"],
            status=project["status"],
            description=project["description"],
            photos=[("photo", _picture(scene, alt)) for scene, alt in project["photos"]],
        )
        for order, project in enumerate(spec["projects"])
    ]
    event = spec["event"]
    news = [
        TOSNewsItem(
            kind=NewsKind.EVENT,
            title=event["title"],
            published_on=today - timedelta(days=3),
            event_starts_at=_moscow(today + timedelta(days=event["in_days"]), event["at"]),
            place=event["place"],
            text=event["text"],
        )
    ]
    news += [
        TOSNewsItem(
            kind=NewsKind.NEWS,
            title=item["title"],
            published_on=today - timedelta(days=item["days_ago"]),
            text=item["text"],
            image=_picture(*item["picture"]) if "picture" in item else None,
        )
        for item in spec["news"]
    ]
    for order, item in enumerate(news):
        item.sort_order = order
    page.news_items = news
    if "charter" in spec:
        page.documents = [
            TOSDocument(
                kind=DocumentKind.CHARTER,
                title=spec["charter"]["title"],
                dated=spec["page"]["charter_registered_at"],
                document=_charter(spec["charter"]),
            )
        ]
    return page


def _ensure_index(home, log):
    index = TOSIndexPage.objects.child_of(home).first()
    if index is None:
        with translation.override(home.locale.language_code):
            request_url = reverse("tos_registration:request")
        index = TOSIndexPage(
            locale=home.locale, show_in_menus=True, **{**INDEX, "intro": INDEX["intro"].format(request_url=request_url)}
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        index.refresh_from_db()
        log(f"страница «{index.title}» опубликована")
    return index


def ensure_in_menu(index, log):
    navigation = NavigationSettings.for_site(index.get_site())
    if any(item.value.get("page") and item.value["page"].pk == index.pk for item in navigation.main_menu):
        return
    navigation.main_menu.append(("link", {"page": index, "url": "", "label": ""}))
    navigation.save()
    log(f"«{index.title}» добавлен в главное меню")


def _ensure_profiles(index, log):
    areas = {area.name: area for area in ActivityArea.objects.all()}
    profiles = {}
    for spec in PROFILES:
        slug = spec["page"]["slug"]
        page = TOSProfilePage.objects.child_of(index).filter(slug=slug).first()
        if page is None:
            page = _build_profile(spec, areas)
            index.add_child(instance=page)
            page.save_revision().publish()
            page.refresh_from_db()
            log(f"профиль «{page.title}» опубликован")
        profiles[slug] = page
    return profiles


def ensure_demo_user(account, role, log):
    """A demo account with a confirmed address and no usable password (see the module's docstring)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=account["email"]).first()
    if user is None:
        user = User(**account)
        user.set_unusable_password()
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        log(f"учётная запись {account['email']} создана (без пароля)")
    if not EmailAddress.objects.filter(email__iexact=account["email"]).exists():
        EmailAddress.objects.create(user=user, email=account["email"], verified=True, primary=True)
    return user


def _ensure_chair(user, page, log):
    if TOSMembership.objects.filter(tos=page, user=user).exists():
        return
    membership = TOSMembership(tos=page, user=user, role=MembershipRole.CHAIR, started_on=page.charter_registered_at)
    membership._change_reason = "демонстрационные данные"
    membership.save()
    log(f"{user.email} — председатель «{page.title}»")


def _ensure_populations(log):
    empty = Municipality.objects.filter(short_name__in=POPULATIONS, population__isnull=True)
    for municipality in empty:
        municipality.population = POPULATIONS[municipality.short_name]
        municipality.population_year = POPULATION_YEAR
        municipality.save(update_fields=["population", "population_year"])
    if empty:
        log(f"численность населения (приблизительная, на 01.01.{POPULATION_YEAR}) указана у {len(empty)} МО")


def _ensure_request(applicant, log):
    if RegistrationRequest.objects.filter(name=REQUEST["name"]).exists():
        return
    RegistrationRequest.objects.create(
        applicant=applicant,
        municipality=Municipality.objects.get(short_name=REQUEST_MUNICIPALITY),
        founded_at=timezone.localdate() - timedelta(days=60),
        charter_registered_at=timezone.localdate() - timedelta(days=40),
        **REQUEST,
    )
    log(f"заявка на регистрацию «{REQUEST['name']}» ждёт модератора")


@register(order=20, name=_("ТОС: реестр, три демо-профиля, лидер и модератор, заявка на регистрацию"))
def load_tos(log):
    home = HomePage.objects.get(locale__language_code="ru", depth=2)
    _ensure_populations(log)
    index = _ensure_index(home, log)
    ensure_in_menu(index, log)
    profiles = _ensure_profiles(index, log)
    leader = ensure_demo_user(LEADER, TOS_LEADER, log)
    _ensure_chair(leader, profiles[PROFILES[0]["page"]["slug"]], log)
    ensure_demo_user(MODERATOR_ACCOUNT, MODERATOR, log)
    _ensure_request(ensure_demo_user(RESIDENT, None, log), log)
