def test_ping_answers_pong_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping")
    assert response.status_code == 200 and response.content == b"pong"
