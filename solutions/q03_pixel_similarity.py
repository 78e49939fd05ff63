"""Question 3: Classifying digits by pixel similarity (fastbook ch. 4, question 3). Model answer."""
import torch


def mean_digit(images: torch.Tensor) -> torch.Tensor:
    return images.mean(0)


def distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return (a - b).abs().mean((-1, -2))


def predict_is_3(images: torch.Tensor, mean3: torch.Tensor, mean7: torch.Tensor) -> torch.Tensor:
    return distance(images, mean3) < distance(images, mean7)


def accuracy_on_valid(train_3: torch.Tensor, train_7: torch.Tensor,
                      valid_3: torch.Tensor, valid_7: torch.Tensor) -> tuple[float, float]:
    mean3, mean7 = mean_digit(train_3), mean_digit(train_7)
    on_3s = predict_is_3(valid_3, mean3, mean7).float().mean().item()
    on_7s = 1 - predict_is_3(valid_7, mean3, mean7).float().mean().item()
    return on_3s, on_7s


EXPLAIN = """
Average all training images of each digit, pixel by pixel, to get an "ideal" 3 and an
"ideal" 7. To classify a new image, measure how far it is from each ideal digit: take
the difference at every pixel, make it positive (absolute value, or square it and take
the root of the mean), and average over the pixels. The image is called whichever digit
it is closer to. Nothing is learned beyond the two averages, which makes it a useful
baseline to compare real models against; it scores over 90% on the valid 3s and 7s.
"""
