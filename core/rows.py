"""One row by a key, for reads done on nearly every request (the signed-in user, a citizen's
profile), with the statement built once per process instead of on every call.

``Model.objects.filter(key=value)[:1]`` builds its SQL anew each time: about 450 µs of CPU for
the user's row on PostgreSQL, of which running the statement and making the object take about
190 µs (measured in-process, 3,000 reads). Here the ORM builds the statement once per database
connection, with its own compiler; each read runs it with the value prepared by the model's
field, turns the columns into Python values with that compiler's converters and makes the
object with ``Model.from_db``, as the ORM's own iteration does. The database is chosen by the
routers, as the ORM chooses it. tests/core/test_rows.py compares the objects with the ORM's.
"""

from weakref import WeakKeyDictionary

from django.db import connections, router
from django.db.models import Model

_PROBE = 0  # the value the statement is built with; only its place in the parameters matters


class KeyLookup:
    """``lookup.get(value)``: the one ``model`` whose ``field`` equals ``value``, or None.
    ``field`` is the primary key (``"pk"``) or a unique integer column, a one-to-one key
    included, of a model whose default manager does not filter."""

    def __init__(self, model: type[Model], field: str):
        self.model = model
        self.field_name = field
        field_obj = model._meta.pk if field == "pk" else model._meta.get_field(field)
        self.value_field = getattr(field_obj, "target_field", field_obj)
        self._compiled: WeakKeyDictionary = WeakKeyDictionary()

    def get(self, value) -> Model | None:
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(alias)
        sql, compiler, start, end, names = compiled
        param = self.value_field.get_db_prep_value(value, connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(sql, [param])
            row = cursor.fetchone()
        if row is None:
            return None
        row = next(iter(compiler.results_iter([[row]])))
        return self.model.from_db(alias, names, row[start:end])

    def _compile(self, alias: str):
        queryset = self.model._default_manager.using(alias).filter(**{self.field_name: _PROBE})
        compiler = queryset[:1].query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if tuple(params) != (_PROBE,):  # a manager that filters, say: not a read by one key
            raise ValueError(f"{queryset.query} is not a read by {self.field_name} alone")
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in compiler.select[start:end]]
        return sql, compiler, start, end, names
