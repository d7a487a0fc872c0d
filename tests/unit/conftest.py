import pytest

from tests.unit.pipeline import build_pipeline


@pytest.fixture
def pipeline(sample_courses):
    """(use case, memory fake, classifier fake) wired on fakes of every port."""
    return build_pipeline(sample_courses)
