from django.db import connection
from django.http import JsonResponse


def stats(request):
    year = request.GET["year"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT month, sum(total) FROM sales WHERE year = {} GROUP BY month".format(year))
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})
