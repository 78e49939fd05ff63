"""fastquiz.reference.learner: the training loop, its recorder, callbacks and cancellation."""
from __future__ import annotations

import pytest
import torch

from fastquiz.reference import (
    Callback, CancelFitException, DataLoader, DataLoaders, Learner, batch_accuracy, linear_model, mnist_loss,
    simple_net,
)
from fastquiz.reference.learner import EVENTS

TRAIN_STEP = ["before_batch", "after_pred", "after_loss", "after_backward", "after_step", "after_batch"]
VALID_STEP = ["before_batch", "after_pred", "after_loss", "after_batch"]


def _tiny_dls(n_train: int = 5, n_valid: int = 3, batch_size: int = 2, seed: int = 0) -> DataLoaders:
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n_train + n_valid, 784, generator=g)
    y = (torch.rand(n_train + n_valid, 1, generator=g) > 0.5).float()
    train = DataLoader((x[:n_train], y[:n_train]), batch_size, shuffle=True, seed=seed)
    valid = DataLoader((x[n_train:], y[n_train:]), batch_size)
    return DataLoaders(train, valid)


class EventLog(Callback):
    """Records every event it sees, and can raise CancelFitException at a chosen one."""

    def __init__(self, cancel_at: str | None = None, epoch: int = 0, iteration: int | None = None):
        self.events: list[str] = []
        self.cancel_at, self.cancel_epoch, self.cancel_iter = cancel_at, epoch, iteration
        for event in EVENTS:
            setattr(self, event, self._recorder_for(event))

    def _recorder_for(self, event: str):
        def handler() -> None:
            self.events.append(event)
            at_iter = self.cancel_iter is None or getattr(self.learn, "iter", None) == self.cancel_iter
            if event == self.cancel_at and getattr(self.learn, "epoch", 0) == self.cancel_epoch and at_iter:
                raise CancelFitException()
        return handler


def error_rate(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return 1 - batch_accuracy(predictions, targets)


@pytest.fixture(scope="module")
def embedded_dls(embedded_sample) -> DataLoaders:
    return DataLoaders.from_tensors(embedded_sample.xy("train"), embedded_sample.xy("valid"), batch_size=256, seed=42)


def test_callbacks_receive_the_events_in_the_documented_order():
    log = EventLog()
    torch.manual_seed(0)
    Learner(_tiny_dls(n_train=5, n_valid=3, batch_size=2), linear_model(), cbs=[log]).fit(1, 0.1)
    expected = (
        ["before_fit", "before_epoch", "before_train"] + TRAIN_STEP * 3 + ["after_train", "before_validate"]
        + VALID_STEP * 2 + ["after_validate", "after_epoch", "after_fit"]
    )
    assert log.events == expected


def test_every_epoch_repeats_the_train_and_validate_phases():
    log = EventLog()
    Learner(_tiny_dls(), linear_model(), cbs=[log]).fit(3, 0.1)
    assert log.events.count("before_epoch") == log.events.count("after_epoch") == 3
    assert log.events.count("after_step") == 3 * 3
    assert log.events.count("before_fit") == log.events.count("after_fit") == 1


def test_recorder_keeps_one_row_per_epoch_of_train_loss_valid_loss_and_metric():
    learn = Learner(_tiny_dls(), linear_model())
    learn.fit(4, 0.1)
    assert learn.recorder.metric_names == ["train_loss", "valid_loss", "batch_accuracy"]
    assert len(learn.recorder.values) == 4
    for train_loss, valid_loss, accuracy in learn.recorder.values:
        assert 0 <= train_loss <= 1 and 0 <= valid_loss <= 1 and 0 <= accuracy <= 1


def test_recorder_weights_batches_by_size_so_figures_match_the_whole_validation_set():
    torch.manual_seed(1)
    dls = _tiny_dls(n_train=20, n_valid=7, batch_size=3)  # validation batches of 3, 3 and 1
    learn = Learner(dls, linear_model(), metrics=[batch_accuracy, error_rate])
    learn.fit(2, 0.5)
    x, y = dls.valid.tensors
    with torch.no_grad():
        pred = learn.model(x)
    _, valid_loss, accuracy, error = learn.recorder.values[-1]
    assert valid_loss == pytest.approx(mnist_loss(pred, y).item(), abs=1e-6)
    assert accuracy == pytest.approx(batch_accuracy(pred, y).item(), abs=1e-6)
    assert error == pytest.approx(1 - accuracy, abs=1e-6)


def test_several_metrics_each_get_a_named_column():
    learn = Learner(_tiny_dls(), linear_model(), metrics=(batch_accuracy, error_rate))
    learn.fit(2, 0.1)
    assert learn.recorder.metric_names == ["train_loss", "valid_loss", "batch_accuracy", "error_rate"]
    assert all(len(row) == 4 for row in learn.recorder.values)
    assert all(row[2] + row[3] == pytest.approx(1.0) for row in learn.recorder.values)


def test_fitting_again_starts_a_fresh_record():
    learn = Learner(_tiny_dls(), linear_model())
    learn.fit(3, 0.1)
    learn.fit(1, 0.1)
    assert len(learn.recorder.values) == 1


def test_losses_fall_over_training_on_the_embedded_digits(embedded_dls):
    torch.manual_seed(42)
    learn = Learner(embedded_dls, simple_net())
    learn.fit(10, 0.1)
    first, last = learn.recorder.values[0], learn.recorder.values[-1]
    assert last[0] < first[0]  # train loss
    assert last[1] < first[1]  # valid loss
    assert last[2] > 0.9


def test_linear_model_learns_3s_from_7s_on_the_embedded_digits(embedded_dls):
    torch.manual_seed(42)
    learn = Learner(embedded_dls, linear_model())
    learn.fit(10, 1.0)
    assert learn.recorder.values[-1][1] < learn.recorder.values[0][1]
    assert learn.recorder.values[-1][2] > 0.9


def test_validation_runs_without_gradients_and_in_eval_mode():
    class ModeLog(Callback):
        seen: list

        def before_fit(self):
            self.seen = []

        def after_pred(self):
            learn = self.learn
            self.seen.append((learn.training, learn.model.training, torch.is_grad_enabled(), learn.pred.requires_grad))

    log = ModeLog()
    Learner(_tiny_dls(), simple_net(), cbs=[log]).fit(1, 0.1)
    assert log.seen == [(True, True, True, True)] * 3 + [(False, False, False, False)] * 2


def test_cancel_fit_stops_right_after_the_current_event_and_after_fit_still_runs():
    log = EventLog(cancel_at="after_step", epoch=0, iteration=1)
    learn = Learner(_tiny_dls(), linear_model(), cbs=[log])
    learn.fit(3, 0.1)  # no exception escapes
    assert log.events[-2:] == ["after_step", "after_fit"]
    assert log.events.count("after_step") == 2
    assert "after_train" not in log.events and learn.recorder.values == []


def test_cancel_fit_after_an_epoch_keeps_the_epochs_recorded_so_far():
    log = EventLog(cancel_at="after_epoch", epoch=1)
    learn = Learner(_tiny_dls(), linear_model(), cbs=[log])
    learn.fit(5, 0.1)
    assert len(learn.recorder.values) == 2
    assert log.events.count("before_epoch") == 2
    assert log.events[-2:] == ["after_epoch", "after_fit"]


def test_cancel_fit_before_fit_trains_nothing():
    log = EventLog(cancel_at="before_fit")
    torch.manual_seed(0)
    model = linear_model()
    before = [p.detach().clone() for p in model.parameters()]
    Learner(_tiny_dls(), model, cbs=[log]).fit(2, 0.1)
    assert log.events == ["before_fit", "after_fit"]
    assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_other_exceptions_propagate_but_after_fit_still_runs():
    class Boom(Callback):
        def after_loss(self):
            raise RuntimeError("boom")

    log = EventLog()
    with pytest.raises(RuntimeError, match="boom"):
        Learner(_tiny_dls(), linear_model(), cbs=[Boom(), log]).fit(1, 0.1)
    assert log.events[-1] == "after_fit"


def test_any_object_with_event_methods_can_be_a_callback():
    class Plain:
        calls = 0

        def after_fit(self):
            self.calls += 1
            self.final_epoch = self.learn.epoch

    plain = Plain()
    learn = Learner(_tiny_dls(), linear_model(), cbs=[plain])
    learn.fit(2, 0.1)
    assert plain.learn is learn and plain.calls == 1 and plain.final_epoch == 1


def test_the_optimiser_comes_from_opt_func_with_the_models_parameters_and_lr():
    made = []

    def opt_func(params, lr):
        from fastquiz.reference import SGD

        opt = SGD(params, lr)
        made.append(opt)
        return opt

    model = linear_model()
    learn = Learner(_tiny_dls(), model, opt_func=opt_func)
    learn.fit(1, 0.3)
    assert len(made) == 1 and made[0].lr == 0.3
    assert [id(p) for p in made[0].params] == [id(p) for p in model.parameters()]
    assert all(p.grad is None for p in model.parameters())  # zeroed after every step


@pytest.mark.slow
def test_learner_with_simple_net_reaches_98_percent_on_the_full_sample(full_sample):
    dls = DataLoaders.from_tensors(full_sample.xy("train"), full_sample.xy("valid"), batch_size=256, seed=42)
    torch.manual_seed(42)
    learn = Learner(dls, simple_net())
    learn.fit(40, 0.1)
    assert learn.recorder.values[-1][2] >= 0.98
