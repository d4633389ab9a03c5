"""Synthetic sample data with a known truth.

:func:`generate` builds the three tables the app reads (transactions, survey,
customers) for one of the business profiles in ``loyalty/data/profiles.json``
and returns them with a ``truth`` dict; :func:`write_sample` writes them as
``transactions.csv``, ``survey.csv``, ``customers.csv`` and ``truth.json``.
The same arguments always produce byte-identical files.

The causal model
----------------
1. **Driver perceptions.** Each customer has five latent perceptions
   (consistency, communication, service, data security, reputation), standard
   normal with a common correlation ``rho``:
   ``driver_k = sqrt(rho) * F + sqrt(1 - rho) * e_k``.
2. **Trust.** ``trust = 0 + sum_k beta_k * driver_k + sigma * e``. The betas
   differ by profile: ``pl_retail`` has one clear top driver (service),
   ``en_b2b`` three near-tied ones, ``nl_webshop`` sits in between.
3. **Loyalty attitudes.** Recommendation propensity
   ``= trust_z + small direct driver effects + noise`` (``trust_z`` is trust
   divided by its population SD), shown as a 0-10 answer; repurchase intent
   loads on ``trust_z``.
4. **Survey items.** Every latent score is mapped onto the profile's rating
   scale (nl 1-5, pl 1-7, en 1-10; recommendation always 0-10) by
   ``clip(round(location + spread * latent))``. Rounding and clipping attenuate
   slopes, so ``truth["trust"]["observed"]`` gives the OLS coefficients of the
   trust item on the driver items in a 200,000-draw population of the same
   model and seed, next to the generating ``truth["trust"]["latent"]`` ones.
5. **Buying.** BG/NBD-like: sign-ups spread over about two years (seasonal,
   growing), a first order, then Poisson repeat orders in seasonal time
   (December peak, weekday and hour profiles) while alive, with dropout
   probability ``p`` after every order. Higher trust raises the rate and lowers
   ``p``. Order values follow the Gamma-Gamma model times segment multipliers.
   About 2-3 % of orders are refunded later as a negative row with the same
   ``order_id`` (more often when perceived consistency is low).
6. **Survey responses.** A random 35-45 % of customers answer once during their
   active period; about 10 % anonymously; 1-14 % of answers per item are
   missing (data security most). Half write a comment assembled from the
   phrase bank ``loyalty/data/comment_phrases.json`` in the dataset's language:
   extreme driver scores are mentioned more, low ones as complaints.

Customers also get fake names and e-mails (Faker, reserved ``example.*``
domains) so the app's privacy filter has something to remove.
"""

from loyalty.synth.generate import SampleData, generate
from loyalty.synth.profiles import PROFILES
from loyalty.synth.writer import write_sample

__all__ = ["PROFILES", "SampleData", "generate", "write_sample"]
