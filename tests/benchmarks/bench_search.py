"""Cost of the database search backend: indexing throughput and query latency, as ratios to plain SQL measured
in the same run.

Run with ``make bench`` (add ``DATABASE_URL=postgres://…`` for PostgreSQL). Sizes: 10 000 documents on SQLite,
10 000 and 100 000 on PostgreSQL; ``SEARCH_BENCH_SIZES=2000`` (comma-separated) for a quick run.

Baselines: for indexing, bulk-inserting the same rows without any text processing; for queries, on PostgreSQL
the raw ``to_tsvector(…) @@ websearch_to_tsquery(…)`` over the text columns (no stored vector, no ranking) and
the query over the GIN-indexed ``search_vector`` ranked by ``ts_rank``; on SQLite the bare FTS5 MATCH ordered by
bm25. The backend additionally counts the total, computes disjunctive facets and highlights the hits.
"""

import datetime
import os
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice

import pytest
from django.db import connection, transaction

from search.backends.base import SearchDocument, SearchRequest
from search.backends.database import BATCH, SQLITE_WEIGHTS, DatabaseBackend
from search.models import IndexEntry
from search.text import query_stems

SEED = 2026
DEFAULT_SIZES = {"sqlite": [10_000], "postgresql": [10_000, 100_000]}
ROUNDS = 20
# A query whose baseline is a sequential scan (the raw to_tsvector one) may take seconds on 100 000 documents:
# it stops after this many seconds, but never before MIN_ROUNDS samples.
BUDGET_SECONDS = 3.0
MIN_ROUNDS = 3

TYPES = [
    ("practices.practicepage", 5),
    ("website.contentpage", 3),
    ("methodology.methodologypage", 2),
    ("competitions.competitionpage", 1),
]
YEARS = [str(year) for year in range(2019, 2026)]
# Kaluga region: 24 districts and 2 urban okrugs, in the prepositional case; municipality id = position + 1.
PLACES = [
    *(
        f"{name} районе"
        for name in [
            "Бабынинском",
            "Барятинском",
            "Боровском",
            "Дзержинском",
            "Думиничском",
            "Жиздринском",
            "Жуковском",
            "Износковском",
            "Кировском",
            "Козельском",
            "Куйбышевском",
            "Людиновском",
            "Малоярославецком",
            "Медынском",
            "Мещовском",
            "Мосальском",
            "Перемышльском",
            "Спас-Деменском",
            "Сухиничском",
            "Тарусском",
            "Ульяновском",
            "Ферзиковском",
            "Хвастовичском",
            "Юхновском",
        ]
    ),
    "городе Калуге",
    "городе Обнинске",
]
WORKS = ["Ремонт", "Устройство", "Благоустройство", "Реконструкция", "Замена", "Модернизация", "Обустройство"]
STREETS = ["Ленина", "Гагарина", "Мира", "Пушкина", "Королёва", "Циолковского", "Маркса", "Кирова", "Чехова"]
CONTRACTORS = ["ООО «Дорстрой»", "ООО «Калугаблагоустройство»", "АО «Стройсервис»", "ООО «Зелёный город»"]


@dataclass(frozen=True)
class Topic:
    """What a document is mostly about: the objects of its title, its sentences and its table rows."""

    objects: list[str]
    titles: list[str]
    sentences: list[str]
    rows: list[tuple[str, str]]


TOPICS = [
    Topic(
        objects=["дворового проезда", "дворовой территории", "дворовых территорий", "парковки у поликлиники"],
        titles=["Приёмка работ по асфальтобетонному покрытию в {place}"],
        sentences=[
            "На дворовой территории дома № {n} по улице {street} отремонтирован дворовый проезд площадью {area} м².",
            "Благоустройство дворовых территорий в {place} ведётся по программе «Формирование комфортной среды».",
            "Подрядчик {contractor} уложил асфальтобетонное покрытие толщиной 5 см на основание из щебня.",
            "Ремонт дворовых проездов выполнен с заменой бортового камня и устройством водоотвода.",
            "Проезды к домам расширены до 6 м, обустроены парковочные карманы на {k3} машиномест.",
            "Дворовые территории многоквартирных домов в {place} благоустраиваются по заявкам жителей.",
            "При приёмке асфальтобетонного покрытия комиссия проверила толщину слоя и ровность.",
            "Гарантийный срок на асфальтобетонное покрытие дворового проезда — четыре года.",
            "Лабораторный контроль качества асфальтобетона выполняет независимая лаборатория.",
        ],
        rows=[("Асфальтобетонное покрытие", "м²"), ("Бортовой камень", "м"), ("Парковочные места", "шт.")],
    ),
    Topic(
        objects=["контейнерной площадки ТКО", "площадок для сбора ТКО"],
        titles=["Методические рекомендации по содержанию контейнерных площадок в {place}"],
        sentences=[
            "Контейнерная площадка ТКО оборудована ограждением и навесом, установлены {k} контейнера.",
            "Вывоз ТКО с контейнерных площадок выполняет региональный оператор по утверждённому графику.",
            "Контейнерные площадки для твёрдых коммунальных отходов перенесены дальше от окон.",
            "Основание контейнерной площадки выполнено из бетона с уклоном для отвода воды.",
            "Для крупногабаритных отходов выделен отдельный бункер у площадки.",
        ],
        rows=[("Контейнеры ТКО", "шт."), ("Ограждение площадки", "м"), ("Бетонное основание", "м²")],
    ),
    Topic(
        objects=["уличного освещения", "освещения сквера", "наружного освещения дворов"],
        titles=["Энергосбережение в сетях наружного освещения в {place}"],
        sentences=[
            "Установлены новые светильники; замена освещения снизила расход электроэнергии на {pct} %.",
            "Освещение детской игровой площадки выполнено светодиодными опорами высотой 4 м.",
            "Освещения во дворе не хватало, поэтому жители попросили установить дополнительные опоры.",
            "Сети уличного освещения переведены на управление по расписанию.",
            "Опоры освещения установлены вдоль пешеходных дорожек с шагом {k3} м.",
        ],
        rows=[("Светильники уличного освещения", "шт."), ("Опоры освещения", "шт."), ("Кабельная линия", "м")],
    ),
    Topic(
        objects=["детской игровой площадки", "спортивной площадки", "детской площадки"],
        titles=["Установка МАФ на детской площадке в {place}"],
        sentences=[
            "На детской игровой площадке смонтированы МАФ: качели, горка, песочница и скамейки.",
            "Малые архитектурные формы (МАФ) закуплены по итогам электронного аукциона.",
            "На спортивной площадке уложено резиновое покрытие, установлены тренажёры.",
            "Игровое оборудование сертифицировано, под качелями уложено ударопоглощающее покрытие.",
            "Детская площадка огорожена невысоким забором.",
        ],
        rows=[("МАФ", "шт."), ("Резиновое покрытие", "м²"), ("Игровое оборудование", "комплектов")],
    ),
    Topic(
        objects=["сквера", "бульвара", "парка"],
        titles=["Озеленение дворов и скверов в {place}"],
        sentences=[
            "Озеленение включает посадку {k2} деревьев и кустарников, устройство газонов и цветников.",
            "Работы по озеленению дворов выполнены весной, после схода снега.",
            "Газон восстановлен после ремонта инженерных сетей, высажены липы и клёны.",
            "Аварийные деревья удалены по заключению дендролога.",
            "Цветники оформлены многолетниками, не требующими частого полива.",
        ],
        rows=[("Посадка деревьев", "шт."), ("Газон", "м²"), ("Кустарники", "шт.")],
    ),
    Topic(
        objects=["пешеходной дорожки", "тротуара из тротуарной плитки", "набережной"],
        titles=["Пешеходные маршруты и доступная среда в {place}"],
        sentences=[
            "Тротуарная плитка уложена на пешеходных дорожках и у входных групп подъездов.",
            "Дефекты тротуарной плитки и асфальтобетонного покрытия подрядчик устраняет по гарантии.",
            "Для маломобильных граждан устроены пандусы и понижен бортовой камень на переходах.",
            "Скамейки и урны установлены вдоль пешеходных дорожек сквера.",
            "Набережная вымощена гранитной брусчаткой.",
        ],
        rows=[("Тротуарная плитка", "м²"), ("Пандусы", "шт."), ("Скамейки и урны", "шт.")],
    ),
]
# About how the work is organised: found in documents of every topic.
GENERAL = Topic(
    objects=["общественной территории"],
    titles=[
        "Протокол заседания общественной комиссии в {place}",
        "Итоги конкурса подрядчиков на благоустройство в {place}",
    ],
    sentences=[
        "Приёмка работ проходит с участием общественной комиссии, управляющей компании и жителей.",
        "Общественная комиссия рассмотрела предложения жителей и утвердила дизайн-проект.",
        "Акт приёмки выполненных работ подписан {day}.",
        "Жители обсудили проект на общем собрании собственников помещений.",
        "Финансирование: областной и местный бюджеты, доля жителей {pct} %.",
        "Подрядчик {contractor} определён по итогам конкурса; контракт заключён на {money} млн рублей.",
        "Замечания общественной комиссии направлены подрядчику для устранения до {day}.",
        "Сроки работ согласованы с управляющей компанией.",
        "Фотографии до и после работ размещены на сайте администрации.",
        "Предложения по благоустройству в {place} принимаются через портал обратной связи.",
    ],
    rows=[("Стоимость работ", "тыс. руб."), ("Площадь благоустройства", "м²")],
)

# (label, query, filters); the query texts are what readers type, in various word forms.
QUERIES = [
    ("ремонт дворовых проездов", {}),
    ("контейнерная площадка ТКО", {}),
    ("освещения детской площадки", {}),
    ("приёмка асфальтобетонного покрытия", {}),
    ("озеленение", {}),
    ("МАФ подрядчик", {}),
    ("благоустройство дворовых территорий", {}),
    ("тротуарная плитка", {"municipality": ["3"]}),
    ("общественная комиссия", {"type": ["practices.practicepage"], "year": ["2024", "2025"]}),
    ("синхрофазотрон гравицапа", {}),
]


def sizes(vendor):
    configured = os.environ.get("SEARCH_BENCH_SIZES", "").strip()
    if configured:
        return [int(item.replace("_", "")) for item in configured.split(",") if item.strip()]
    return DEFAULT_SIZES[vendor]


def documents(count):
    """``count`` synthetic Russian documents, the same ones on every run, made one at a time."""
    rng = random.Random(SEED)
    type_names, type_weights = zip(*TYPES, strict=True)
    for number in range(count):
        municipality = rng.randrange(len(PLACES))
        place = PLACES[municipality]
        year = rng.choice(YEARS)
        date = datetime.date(int(year), rng.randint(1, 12), rng.randint(1, 28))

        def fill(template, rng=rng, place=place, year=year):
            return template.format(
                place=place,
                n=rng.randint(1, 120),
                street=rng.choice(STREETS),
                area=rng.randint(150, 4000),
                contractor=rng.choice(CONTRACTORS),
                pct=rng.randint(5, 60),
                k=rng.randint(2, 8),
                k2=rng.randint(10, 300),
                k3=rng.randint(5, 60),
                day=f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{year}",
                money=f"{rng.uniform(0.5, 40):.1f}".replace(".", ","),
            )

        topic = rng.choice(TOPICS)
        if rng.random() < 0.2:
            title = fill(rng.choice(topic.titles + GENERAL.titles))
        else:
            title = f"{rng.choice(WORKS)} {rng.choice(topic.objects + GENERAL.objects)} в {place}"

        def sentence(rng=rng, topic=topic):
            """Mostly about the topic, often about the procedure, sometimes about another topic."""
            draw = rng.random()
            source = topic if draw < 0.55 else GENERAL if draw < 0.85 else rng.choice(TOPICS)
            return fill(rng.choice(source.sentences))

        target = rng.randint(80, 200)
        body_words = []
        while len(body_words) < target:
            body_words += sentence().split()
        body = " ".join(body_words[:target]).rstrip(".,;:") + "."
        items = rng.sample(topic.rows, rng.randint(1, len(topic.rows))) + rng.sample(GENERAL.rows, 1)
        rows = " | ".join(f"{name} — {rng.randint(1, 2000)} {unit}" for name, unit in items)
        yield SearchDocument(
            key=f"bench:{number}",
            locale="ru",
            title=title,
            url=f"/ru/bench/{number}/",
            summary=sentence(),
            body=body,
            rows=rows,
            date=date,
            facets={
                "type": [rng.choices(type_names, type_weights)[0]],
                "year": [year],
                "municipality": [str(municipality + 1)],
            },
        )


def chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class SqlTimer:
    """An execute wrapper adding up the time spent in SQL statements, by a category of the statement.

    Right for writes; a SELECT may do its work while its rows are fetched (SQLite does), see SqlRecorder.
    """

    def __init__(self, classify):
        self.classify = classify
        self.seconds = defaultdict(float)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[self.classify(sql)] += time.perf_counter() - started


class SqlRecorder:
    """An execute wrapper keeping the statements of a call, to be replayed and timed with their fetch."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)

    def replay(self, classify, seconds):
        with connection.cursor() as cursor:
            for sql, params in self.statements:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                seconds[classify(sql)] += time.perf_counter() - started


def indexing_category(sql):
    if "search_indexfacet" in sql:
        return "фасеты"
    if "search_fts" in sql:
        return "FTS5"
    if "SET search_vector" in sql:
        return "векторы to_tsvector"
    if sql.startswith(("INSERT", "UPDATE")):
        return "строки по одной"
    if sql.startswith("SELECT"):
        return "поиск существующих"
    return "прочий SQL"


def search_category(sql):
    """The part of DatabaseBackend.search a statement belongs to (its statements start with the match CTE)."""
    select = sql.split(") SELECT ", 1)[-1] if sql.startswith("WITH m AS") else sql.removeprefix("SELECT ")
    if select.startswith("COUNT(*)"):
        return "COUNT"
    if select.startswith("e.id, m.score"):
        return "ранжирование"
    if select.startswith(("f.name, f.value", "f.value")):
        return "фасеты"
    return "загрузка записей"


def shares(seconds, total):
    parts = dict(seconds)
    parts["Python и прочее"] = max(0.0, total - sum(parts.values()))
    ordered = sorted(parts.items(), key=lambda item: -item[1])
    return ", ".join(f"{name} {value / total:.0%}" for name, value in ordered if value / total >= 0.005)


def clear_index(vendor):
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("TRUNCATE search_indexfacet, search_indexentry")
        else:
            cursor.execute("DELETE FROM search_indexfacet")
            cursor.execute("DELETE FROM search_indexentry")
            cursor.execute("DELETE FROM search_fts")


def settle(vendor):
    """What autovacuum does in production after a bulk load: fresh statistics, GIN pending list merged."""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_indexentry")
            cursor.execute("VACUUM ANALYZE search_indexfacet")


def plain_rows_per_second(count, vendor):
    """Baseline: the same rows bulk-inserted in the backend's batches, without stems, vectors or facets."""
    elapsed = 0.0
    for chunk in chunks(documents(count), BATCH):
        started = time.perf_counter()
        with transaction.atomic():
            IndexEntry.objects.bulk_create(IndexEntry(**document.stored_fields()) for document in chunk)
        elapsed += time.perf_counter() - started
    clear_index(vendor)
    settle(vendor)
    return count / elapsed


def index_documents(backend, count):
    """Indexes in the backend's batches; only backend.index is timed, not making the documents."""
    timer = SqlTimer(indexing_category)
    elapsed = 0.0
    with connection.execute_wrapper(timer):
        for chunk in chunks(documents(count), BATCH):
            started = time.perf_counter()
            backend.index(chunk)
            elapsed += time.perf_counter() - started
    return count / elapsed, shares(timer.seconds, elapsed)


def timed(call):
    """Latencies of ``call`` after a warm-up call; a warm-up slower than a second counts as a sample."""
    started = time.perf_counter()
    call()
    first = time.perf_counter() - started
    samples = [first] if first > 1.0 else []
    spent = sum(samples)
    while len(samples) < ROUNDS and (len(samples) < MIN_ROUNDS or spent < BUDGET_SECONDS):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
        spent += samples[-1]
    return samples


def percentile(groups, fraction):
    """Nearest-rank percentile of all samples, each query weighing the same however many samples it has."""
    weighted = sorted((value, 1 / len(group)) for group in groups for value in group)
    threshold, cumulative = fraction * len(groups), 0.0
    for value, weight in weighted:
        cumulative += weight
        if cumulative >= threshold - 1e-9:
            return value
    return weighted[-1][0]


def raw_tsvector(query):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM search_indexentry WHERE to_tsvector('russian', title || ' ' || summary || ' ' || body"
            " || ' ' || rows) @@ websearch_to_tsquery('russian', %s) LIMIT 10",
            [query],
        )
        return cursor.fetchall()


def gin_ranked(query):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM search_indexentry, websearch_to_tsquery('russian', %s) AS q"
            " WHERE search_vector @@ q ORDER BY ts_rank(search_vector, q) DESC LIMIT 10",
            [query],
        )
        return cursor.fetchall()


def fts5_bm25(query):
    expression = " ".join(f'"{item}"' for item in query_stems(query))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY bm25(search_fts, {SQLITE_WEIGHTS})"
            " LIMIT 10",
            [expression],
        )
        return cursor.fetchall()


def milliseconds(seconds):
    return f"{seconds * 1000:.1f}"


def number(value):
    return f"{value:,.0f}".replace(",", " ")


@pytest.mark.django_db(transaction=True)  # each batch commits as in production, so VACUUM ANALYZE can run
def bench_search_index():
    vendor = connection.vendor
    backend = DatabaseBackend()
    if vendor == "postgresql":
        baselines = [
            ("сырой to_tsvector/websearch_to_tsquery без индекса", raw_tsvector),
            ("GIN по search_vector + ts_rank", gin_ranked),
        ]
        name = "PostgreSQL"
    else:
        baselines = [("голый FTS5 MATCH + bm25", fts5_bm25)]
        name = "SQLite"
    for count in sizes(vendor):
        clear_index(vendor)
        settle(vendor)
        baseline_rate = plain_rows_per_second(count, vendor)
        rate, index_shares = index_documents(backend, count)
        settle(vendor)

        ours, theirs, totals = [], [[] for _ in baselines], []
        sql_seconds, median_seconds = defaultdict(float), 0.0
        for query, filters in QUERIES:
            request = SearchRequest(query=query, locale="ru", filters=filters)
            recorder = SqlRecorder()
            with connection.execute_wrapper(recorder):
                totals.append(backend.search(request).total)
            ours.append(timed(lambda request=request: backend.search(request)))
            recorder.replay(search_category, sql_seconds)
            median_seconds += percentile([ours[-1]], 0.5)
            for samples, (_label, run) in zip(theirs, baselines, strict=True):
                samples.append(timed(lambda query=query, run=run: run(query)))

        p50, p95 = percentile(ours, 0.5), percentile(ours, 0.95)
        print(f"\nПоиск по базе данных, {name}: {number(count)} документов")
        print(
            f"  Индексация: {number(rate)} док/с ({rate / baseline_rate:.2f}× от вставки строк без обработки текста,"
            f" {number(baseline_rate)} строк/с)"
        )
        print(f"    время индексации: {index_shares}")
        print(
            f"  Запросы ({len(QUERIES)} × до {ROUNDS} повторов, с подсчётом, фасетами и подсветкой):"
            f" p50 {milliseconds(p50)} мс, p95 {milliseconds(p95)} мс"
        )
        for (label, _run), samples in zip(baselines, theirs, strict=True):
            base50, base95 = percentile(samples, 0.5), percentile(samples, 0.95)
            print(
                f"    {label}: p50 {milliseconds(base50)} мс, p95 {milliseconds(base95)} мс;"
                f" наш поиск {p50 / base50:.1f}× (p50), {p95 / base95:.1f}× (p95)"
            )
        print(f"    время поиска (сумма медиан по запросам): {shares(sql_seconds, median_seconds)}")
        header = "".join(f"{label.split()[0]:>10}" for label, _run in baselines)
        print(f"    {'запрос (p50, мс)':<52}{'наш':>8}{header}{'найдено':>10}")
        for index, (query, filters) in enumerate(QUERIES):
            label = f"«{query}»" + (f" + {', '.join(filters)}" if filters else "")
            columns = "".join(f"{milliseconds(percentile([samples[index]], 0.5)):>10}" for samples in theirs)
            print(f"    {label:<52}{milliseconds(percentile([ours[index]], 0.5)):>8}{columns}{totals[index]:>10}")
        assert totals[-1] == 0, "the nonsense query must find nothing"
        assert all(totals[:-1]), "every realistic query must find something"
    clear_index(vendor)
