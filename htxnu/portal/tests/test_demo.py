from htxnu.core.tests.base import HtxTestCase
from htxnu.portal import demo
from htxnu.portal.models import Photo, Post, Publication
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType


class DemoTests(HtxTestCase):
    def test_it_publishes_a_share_with_drawn_photos_and_changes_nothing_when_run_again(self):
        for n in range(20):
            coop = registry.collective_create(actor=self.commune, type=CollectiveType.HTX, name=f"Hợp tác xã Demo {n}",
                                              commune=self.cam_duong, main_products="Chè")
            registry.product_save(actor=self.commune, collective=coop, name=f"Chè số {n}")
        demo.build("demo")
        published = Publication.objects.public().count()
        self.assertTrue(3 <= published <= 14, published)  # about 40% of 20
        self.assertEqual(Photo.objects.count(), 2 * published)  # a cover and the product
        self.assertTrue(all(p.has_consent and p.story for p in Publication.objects.all()))
        self.assertEqual(Post.objects.filter(state=Post.State.PUBLISHED).count(), 2)
        demo.build("demo")
        self.assertEqual((Publication.objects.count(), Photo.objects.count(), Post.objects.count()),
                         (published, 2 * published, 2))
