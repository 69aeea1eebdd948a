from django.http import HttpResponseRedirect


def go(request):
    target = request.GET.get("to")
    return HttpResponseRedirect(target)
