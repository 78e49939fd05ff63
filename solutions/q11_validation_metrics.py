"""Question 11: Where metrics are measured (fastbook ch. 4, question 11). Model answer."""
import torch


def evaluate(model, train_x: torch.Tensor, train_y: torch.Tensor,
             valid_x: torch.Tensor, valid_y: torch.Tensor) -> float:
    with torch.no_grad():
        return ((model(valid_x) > 0).float() == valid_y).float().mean().item()


WHY = "b"


EXPLAIN = """
On the validation set. Training changes the weights until the model does well on the
training items, and a flexible model can end up recalling those particular items rather
than learning what makes a 3 a 3. Its training accuracy then looks excellent while saying
little about new images. Items that never took part in training are a fair stand-in for
the data the model will meet later, so that is where a metric tells the truth.
"""
