from django.urls import path

from . import views, views_officer

app_name = "portal"
urlpatterns = [
    # Public: visitors, no sign-in. `/` itself is served by views.root (htxnu/urls.py).
    path("hop-tac-xa/", views.cooperative_list, name="cooperatives"),
    path("hop-tac-xa/<slug:slug>/", views.cooperative, name="cooperative"),
    path("hop-tac-xa/<slug:slug>/lien-he/", views.inquiry, name="inquiry"),
    path("san-pham/", views.product_list, name="products"),
    path("tinh/<slug:slug>/", views.province, name="province"),
    path("tin-tuc/", views.news, name="news"),
    path("tin-tuc/<slug:slug>/", views.post, name="post"),
    path("du-lieu-mo/", views.open_data, name="open_data"),
    path("du-lieu-mo/<slug:name>.<str:fmt>", views.open_data_file, name="open_data_file"),
    path("anh/<int:pk>.jpg", views.photo, name="photo"),
    path("anh/<int:pk>-nho.jpg", views.photo, {"size": "thumb"}, name="thumbnail"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("ngon-ngu/<str:code>/", views.language, name="language"),
    # Officers.
    path("cong-khai/hop-tac-xa/<int:pk>/", views_officer.manage, name="manage"),
    path("cong-khai/hop-tac-xa/<int:pk>/xuat-ban/", views_officer.publish, name="publish"),
    path("cong-khai/hop-tac-xa/<int:pk>/san-pham/<int:product_pk>/", views_officer.product_listing,
         name="product_listing"),
    path("cong-khai/hop-tac-xa/<int:pk>/anh/", views_officer.photo_upload, name="photo_upload"),
    path("cong-khai/hop-tac-xa/<int:pk>/anh/<int:photo_pk>/xoa/", views_officer.photo_remove, name="photo_remove"),
    path("cong-khai/anh/<int:pk>/", views_officer.photo_preview, name="photo_preview"),
    path("cong-khai/lien-he/", views_officer.inquiries, name="inquiries"),
    path("cong-khai/lien-he/<int:pk>/dong/", views_officer.inquiry_close, name="inquiry_close"),
    path("cong-khai/tin/", views_officer.posts, name="posts"),
    path("cong-khai/tin/moi/", views_officer.post_create, name="post_create"),
    path("cong-khai/tin/<int:pk>/", views_officer.post_edit, name="post_edit"),
    path("cong-khai/tin/<int:pk>/xu-ly/", views_officer.post_action, name="post_action"),
]
