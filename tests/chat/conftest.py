from tests.line_integration.conftest import line_standin  # noqa: F401 (the fixture)
