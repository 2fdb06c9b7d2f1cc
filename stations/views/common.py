def form_status(request, *forms):
    """400 for a submitted form with errors (nothing was saved), 200 otherwise."""
    if request.method == "POST" and any(form.is_bound and form.errors for form in forms):
        return 400
    return 200
