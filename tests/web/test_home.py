def test_home_page_renders_with_landmarks(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    assert '<main id="main"' in response.text
    assert 'lang="en"' in response.text


def test_language_prefix_switches_html_lang(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/fr/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.text


def test_unknown_page_is_a_friendly_404(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "could not find" in response.text


def test_unknown_api_path_is_problem_json(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_datasets_api_lists_provenance(client) -> None:  # type: ignore[no-untyped-def]
    rows = client.get("/api/v1/datasets").json()
    hs = [r for r in rows if r["edition"] == "HS2022"]
    assert hs and hs[0]["licence"] and hs[0]["source"]


def test_openapi_docs_served(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Tradewind API"
