"""The lecture manifest: chapters → topics → experiments, figures and scenes.

This is the one place that says what the lecture contains and in which order.
``render.py`` walks it; nothing here imports torch, manim or matplotlib.

* an experiment is an id registered in ``engine`` (``engine.core.REGISTRY``);
* a figure is ``"figures.<module>:<function>"``; the function takes
  ``(results, lang)`` and returns a matplotlib figure;
* a scene is ``"scenes.<module>:<SceneClass>"``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    id: str                 # file stem, kebab-case
    target: str             # "figures.module:function"
    needs: tuple[str, ...]  # experiment ids


@dataclass(frozen=True)
class SceneSpec:
    id: str                 # the Scene class name, also the video's file stem
    target: str             # "scenes.module:SceneClass"
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Number:
    """A key computed number that the lecture page shows: text key, experiment, array, digits."""
    key: str
    experiment: str
    array: str
    digits: int = 4


@dataclass(frozen=True)
class Claim:
    """A statement the narration or a figure makes about computed data, checked on the results.

    ``key``: the text key stating it (ko and en); ``target``: ``"engine.<module>:claim_<name>"``, a
    function of ``{experiment: Result}`` returning ``engine.claims.Measured``; ``needs``: the experiments
    it reads (the topic lists them)."""
    key: str
    target: str
    needs: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    id: str
    chapter: int
    experiments: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    scenes: tuple[SceneSpec, ...] = ()
    numbers: tuple[Number, ...] = ()
    claims: tuple[Claim, ...] = ()

    @property
    def slug(self) -> str:
        return f"ch{self.chapter:02d}-{self.id}"


@dataclass(frozen=True)
class Chapter:
    number: int
    ko: str
    en: str
    topics: tuple[Topic, ...] = field(default=())

    def title(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


def _topic(id: str, chapter: int, *, experiments=(), figures=(), scenes=(), numbers=(), claims=()) -> Topic:
    return Topic(id=id, chapter=chapter, experiments=tuple(experiments),
                 figures=tuple(Figure(*f) for f in figures),
                 scenes=tuple(SceneSpec(*s) for s in scenes),
                 numbers=tuple(Number(*n) for n in numbers),
                 claims=tuple(Claim(k, target, tuple(needs)) for k, target, needs in claims))


TOPICS: tuple[Topic, ...] = (
    # The framing chapters (1, 3, 4, 5, 16): facts from the data tables in lecture/data/ and small computed examples.
    _topic("ai-era", 1, experiments=["ai-era"],
           figures=[("ai-era-timeline", "figures.ai_era:ai_era_timeline", ("ai-era",))],
           scenes=[("AIMilestones", "scenes.ai_era:AIMilestones", ("ai-era",))],
           claims=[("ai-era.claim.error_below_human", "engine.ai_era:claim_error_below_human", ("ai-era",)),
                   ("ai-era.claim.gaps_shrink", "engine.ai_era:claim_gaps_shrink", ("ai-era",))]),
    _topic(
        "machine-learning", 3,
        experiments=["machine-learning"],
        figures=[("rules-and-learning", "figures.machine_learning:rules_and_learning", ("machine-learning",))],
        scenes=[("RulesVsLearning", "scenes.machine_learning:RulesVsLearning", ("machine-learning",)),
                ("KindsOfLearning", "scenes.machine_learning:KindsOfLearning", ("machine-learning",))],
        numbers=[("machine-learning.num.rule_acc", "machine-learning", "one_seed/rule_acc", 3),
                 ("machine-learning.num.learned_acc", "machine-learning", "one_seed/learned_acc", 3),
                 ("machine-learning.num.agreement", "machine-learning", "one_seed/agreement", 3)],
        claims=[(f"machine-learning.claim.{name}", f"engine.machine_learning:claim_{name}", ("machine-learning",))
                for name in ("both_accurate", "learned_at_least_rule_on_average", "loss_falls",
                             "clusters_match_species", "q_learning_finds_optimal_policy",
                             "q_values_match_value_iteration")]
    ),
    _topic("dl-history", 4, experiments=["dl-history"],
           figures=[("imagenet-error", "figures.dl_history:imagenet_error", ("dl-history",)),
                    ("training-compute", "figures.dl_history:training_compute", ("dl-history",))],
           scenes=[("DLHistory", "scenes.dl_history:DLHistory", ("dl-history",))],
           claims=[("dl-history.claim.error_falls", "engine.dl_history:claim_error_falls", ("dl-history",)),
                   ("dl-history.claim.compute_doubles_fast", "engine.dl_history:claim_compute_doubles_fast",
                    ("dl-history",))]),
    _topic(
        "stats-and-dl", 5,
        experiments=["stats-and-dl"],
        figures=[("stats-and-dl", "figures.stats_and_dl:stats_and_dl", ("stats-and-dl",))],
        scenes=[("StatsAndDL", "scenes.stats_and_dl:StatsAndDL", ("stats-and-dl",))],
        numbers=[("stats-and-dl.num.mnist_params", "stats-and-dl", "params", 6)],
        claims=[("stats-and-dl.claim.learning_is_estimation", "engine.stats_and_dl:claim_learning_is_estimation",
                 ("stats-and-dl",)),
                ("stats-and-dl.claim.deep_model_is_far_larger", "engine.stats_and_dl:claim_deep_model_is_far_larger",
                 ("stats-and-dl",))]
    ),
    _topic("dl-problems", 16, experiments=["dl-problems", "fgsm"],
           figures=[("fgsm-digit", "figures.dl_problems:fgsm_digit", ("fgsm", "dl-problems")),
                    ("training-energy", "figures.dl_problems:training_energy", ("dl-problems",))],
           scenes=[("DLProblems", "scenes.dl_problems:DLProblems", ("dl-problems", "fgsm"))],
           claims=[("dl-problems.claim.fgsm_flips", "engine.dl_problems:claim_fgsm_flips", ("fgsm",)),
                   ("dl-problems.claim.energy_optimistic", "engine.dl_problems:claim_energy_optimistic",
                    ("dl-problems",))]),
    _topic(
        "neuron", 2,
        experiments=["neuron"],
        figures=[("neuron-and-network", "figures.neuron:neuron_and_network", ("neuron",)),
                 ("model-building-loop", "figures.neuron:model_building_loop", ("neuron",))],
        scenes=[("NeuronToNetwork", "scenes.neuron:NeuronToNetwork", ("neuron",)),
                ("ModelBuildingLoop", "scenes.neuron:ModelBuildingLoop", ("neuron",))],
        numbers=[("neuron.num.sum", "neuron", "neuron/z", 3),
                 ("neuron.num.out", "neuron", "neuron/out", 3)],
        claims=[("neuron.claim.loop_learns", "engine.neuron:claim_loop_learns", ("neuron",)),
                ("neuron.claim.starts_at_chance", "engine.neuron:claim_starts_at_chance", ("neuron",))]
    ),
    _topic(
        "activations", 2,
        experiments=["activations"],
        figures=[("activation-functions", "figures.activations:activation_functions", ("activations",))],
        scenes=[("ActivationFunctions", "scenes.activations:ActivationFunctions", ("activations",))],
        numbers=[("activations.num.max_sigmoid", "activations", "max_df/sigmoid", 4),
                 ("activations.num.max_tanh", "activations", "max_df/tanh", 4),
                 ("activations.num.chain10", "activations", "chain/sigmoid", 3)],
        claims=[("activations.claim.sigmoid_slope", "engine.activations:claim_sigmoid_slope", ("activations",)),
                ("activations.claim.sigmoid_chain", "engine.activations:claim_sigmoid_chain", ("activations",))]
    ),
    _topic(
        "gradient-descent", 7,
        experiments=["gd-parabola", "gd-local-minima", "gd-regression"],
        figures=[("gd-learning-rates", "figures.gradient_descent:gd_learning_rates", ("gd-parabola",)),
                 ("gd-local-minima", "figures.gradient_descent:gd_local_minima", ("gd-local-minima",)),
                 ("gd-sgd-paths", "figures.gradient_descent:gd_sgd_paths", ("gd-regression",))],
        scenes=[("GradientDescentParabola", "scenes.gradient_descent:GradientDescentParabola", ("gd-parabola",)),
                ("LearningRates", "scenes.gradient_descent:LearningRates", ("gd-parabola",)),
                ("SGDJitter", "scenes.gradient_descent:SGDJitter", ("gd-regression",))],
        claims=[("gradient-descent.claim.learning_rates", "engine.gradient_descent:claim_learning_rates", ("gd-parabola",)),
                ("gradient-descent.claim.sgd_jitters", "engine.gradient_descent:claim_sgd_jitters", ("gd-regression",)),
                ("gradient-descent.claim.poor_local_minima", "engine.gradient_descent:claim_poor_local_minima", ("gd-local-minima",))]
    ),
    _topic(
        "vanishing-gradients", 11,
        experiments=["vanishing-gradients"],
        figures=[("gradient-norms", "figures.vanishing_gradients:gradient_norms", ("vanishing-gradients",))],
        scenes=[("VanishingGradients", "scenes.vanishing_gradients:VanishingGradients", ("vanishing-gradients",))],
        claims=[(f"vanishing-gradients.claim.{name}", f"engine.vanishing_gradients:claim_{name}", ("vanishing-gradients",))
                for name in ("sigmoid_fades", "ratio_order", "relu_reaches_first_layer", "chain_factors_bounded",
                             "sigmoid_stalls")],
    ),
    _topic(
        "iris-mlp", 11,
        experiments=["iris-mlp"],
        figures=[("iris-table", "figures.iris_mlp:iris_table", ("iris-mlp",))],
        scenes=[("IrisTable", "scenes.iris_mlp:IrisTable", ("iris-mlp",))],
        claims=[("iris-mlp.claim.relu_wins", "engine.iris_mlp:claim_relu_wins", ("iris-mlp",))],
    ),
    _topic(
        "weight-init", 11,
        experiments=["weight-init-histograms", "weight-init-zero", "weight-init-mnist"],
        figures=[("init-histograms-sigmoid", "figures.weight_init:histograms_sigmoid", ("weight-init-histograms",)),
                 ("init-histograms-tanh", "figures.weight_init:histograms_tanh", ("weight-init-histograms",)),
                 ("init-histograms-relu", "figures.weight_init:histograms_relu", ("weight-init-histograms",)),
                 ("zero-init", "figures.weight_init:zero_init", ("weight-init-zero",)),
                 ("init-mnist-curves", "figures.weight_init:mnist_curves", ("weight-init-mnist",))],
        scenes=[("WeightInitHistograms", "scenes.weight_init:WeightInitHistograms", ("weight-init-histograms",))],
        claims=[*((f"weight-init.claim.{name}", f"engine.weight_init:claim_{name}", ("weight-init-histograms",))
                  for name in ("std1_saturates", "std001_collapses", "xavier_spread", "he_wider_than_xavier",
                               "tanh_like_sigmoid", "relu_std1_grows", "relu_std001_shrinks_he_keeps")),
                ("weight-init.claim.zero_units_identical", "engine.weight_init:claim_zero_units_identical",
                 ("weight-init-zero",))],
    ),
    _topic(
        "lr-decay", 11,
        experiments=["lr-decay", "lr-decay-training"],
        figures=[("lr-decay-surface", "figures.lr_decay:lr_decay_surface", ("lr-decay",)),
                 ("lr-decay-training", "figures.lr_decay:lr_decay_training", ("lr-decay-training",))],
        scenes=[("LRDecay", "scenes.lr_decay:LRDecay", ("lr-decay",))],
        claims=[("lr-decay.claim.decay_settles", "engine.lr_decay:claim_decay_settles", ("lr-decay",))]
    ),
    _topic(
        "optimizers", 11,
        experiments=["optimizers", "optimizers-mnist"],
        figures=[("optimizer-paths-textbook", "figures.optimizers:optimizer_paths_textbook", ("optimizers",)),
                 ("optimizer-paths-beale-saddle", "figures.optimizers:optimizer_paths_beale_saddle", ("optimizers",)),
                 ("optimizer-mnist-loss", "figures.optimizers:optimizer_mnist_loss", ("optimizers-mnist",))],
        scenes=[("OptimizerRace", "scenes.optimizers:OptimizerRace", ("optimizers",)),
                ("SaddleRace", "scenes.optimizers:SaddleRace", ("optimizers",))],
        claims=[(f"optimizers.claim.{name}", f"engine.optimizers:claim_{name}", ("optimizers",))
                for name in ("race_sgd_zigzag", "race_momentum_swings", "race_adagrad_lowest", "saddle_sgd_stays",
                             "saddle_escape_order", "saddle_adagrad_inside")],
    ),
    _topic(
        "rbm", 11,
        experiments=["rbm", "rbm-pretraining"],
        figures=[("rbm-filters", "figures.rbm:rbm_filters", ("rbm",)),
                 ("rbm-pretraining", "figures.rbm:pretraining_curves", ("rbm-pretraining",))],
        scenes=[("RBMPretraining", "scenes.rbm:RBMPretraining", ("rbm", "rbm-pretraining"))],
        numbers=[("rbm.num.recon_end", "rbm", "recon", 4)],
        claims=[*((f"rbm.claim.{name}", f"engine.rbm:claim_{name}", ("rbm",))
                  for name in ("reconstruction_falls", "free_energy_falls")),
                *((f"rbm.claim.{name}", f"engine.rbm:claim_{name}", ("rbm-pretraining",))
                  for name in ("pretrained_starts_faster", "random_catches_up"))],
    ),
    _topic(
        "batch-norm", 13,
        experiments=["batch-norm", "batch-norm-histograms", "batch-norm-scales"],
        figures=[
            ("batch-norm-training", "figures.batch_norm:training", ("batch-norm",)),
            ("batch-norm-histograms", "figures.batch_norm:histograms", ("batch-norm-histograms",)),
            ("batch-norm-four-steps", "figures.batch_norm:four_steps", ("batch-norm-histograms",)),
            ("batch-norm-scales", "figures.batch_norm:scales", ("batch-norm-scales",)),
        ],
        scenes=[
            ("BatchNormSteps", "scenes.batch_norm:BatchNormSteps", ("batch-norm-histograms",)),
            ("BatchNormTraining", "scenes.batch_norm:BatchNormTraining", ("batch-norm",)),
            ("BatchNormScales", "scenes.batch_norm:BatchNormScales", ("batch-norm-scales",)),
        ],
        claims=[
            ("batch-norm.claim.training_steady", "engine.batch_norm:claim_training_steady", ("batch-norm",)),
            ("batch-norm.claim.training_faster", "engine.batch_norm:claim_training_faster", ("batch-norm",)),
            ("batch-norm.claim.training_fewer_extremes", "engine.batch_norm:claim_training_fewer_extremes",
             ("batch-norm",)),
            ("batch-norm.claim.scales_bn_higher", "engine.batch_norm:claim_scales_bn_higher", ("batch-norm-scales",)),
            ("batch-norm.claim.scales_plain_at_chance", "engine.batch_norm:claim_scales_plain_at_chance",
             ("batch-norm-scales",)),
            ("batch-norm.claim.scales_plain_better_near_he", "engine.batch_norm:claim_scales_plain_better_near_he",
             ("batch-norm-scales",)),
            ("batch-norm.claim.scales_bn_depends_on_scale", "engine.batch_norm:claim_scales_bn_depends_on_scale",
             ("batch-norm-scales",)),
            ("batch-norm.claim.scales_bn_large_weights_barely_move",
             "engine.batch_norm:claim_scales_bn_large_weights_barely_move", ("batch-norm-scales",)),
        ],
    ),
    _topic(
        "bias-variance", 12,
        experiments=["bias-variance"],
        figures=[("polynomial-fits", "figures.bias_variance:polynomial_fits", ("bias-variance",)),
                 ("bias-variance-curves", "figures.bias_variance:error_curves", ("bias-variance",)),
                 ("diagnosis-table", "figures.bias_variance:diagnosis_table", ("bias-variance",))],
        scenes=[("PolynomialFits", "scenes.bias_variance:PolynomialFits", ("bias-variance",))],
        claims=[("bias-variance.claim.fits", "engine.bias_variance:claim_fits", ("bias-variance",)),
                ("bias-variance.claim.overfitting_typical", "engine.bias_variance:claim_overfitting_is_typical", ("bias-variance",))]
    ),
    _topic(
        "early-stopping", 12,
        experiments=["early-stopping"],
        figures=[("early-stopping-curves", "figures.overfitting:early_stopping_curves", ("early-stopping",))],
        scenes=[("EarlyStopping", "scenes.overfitting:EarlyStopping", ("early-stopping",))],
        claims=[(f"early-stopping.claim.{name}", f"engine.overfitting:claim_{name}", ("early-stopping",))
                for name in ("validation_loss_turns", "restored_lower_test_loss", "last_higher_test_accuracy",
                             "sure_of_mistakes")],
    ),
    _topic(
        "regularization", 12,
        experiments=["regularization", "regularization-path"],
        figures=[("regularization-curves", "figures.overfitting:regularization_curves", ("regularization",)),
                 ("weight-histograms", "figures.overfitting:weight_histograms", ("regularization",)),
                 ("l1-l2-geometry", "figures.overfitting:l1_l2_geometry", ("regularization",)),
                 ("regularization-path", "figures.overfitting:regularization_path", ("regularization-path",))],
        scenes=[("RegularizationPath", "scenes.regularization:RegularizationPath", ("regularization-path",))],
        claims=[(f"regularization.claim.{name}", f"engine.overfitting:claim_{name}", ("regularization",))
                for name in ("l1_zeroes_weights", "l2_shrinks_weights", "penalties_narrow_gap",
                             "l1_solution_on_a_corner")]
        + [(f"regularization.claim.{name}", f"engine.regularization:claim_{name}", ("regularization-path",))
           for name in ("l2_norm_falls", "l1_zeros_grow", "moderate_lambda_narrows_gap", "too_much_underfits",
                        "toy_l1_hits_an_axis")],
    ),
    _topic(
        "dropout", 12,
        experiments=["dropout"],
        figures=[("dropout-curves", "figures.overfitting:dropout_curves", ("dropout",))],
        scenes=[("DropoutMasks", "scenes.overfitting:DropoutMasks", ("dropout",))],
        claims=[(f"dropout.claim.{name}", f"engine.overfitting:claim_{name}", ("dropout",))
                for name in ("every_rate_learns", "small_rate_narrows_gap", "large_rate_learns_slower")],
    ),
    _topic(
        "augmentation", 12,
        experiments=["augmentation"],
        figures=[("augmentation-grid", "figures.augmentation:augmentation_grid", ("augmentation",)),
                 ("augmentation-accuracy", "figures.augmentation:augmentation_accuracy", ("augmentation",))],
        scenes=[("Augmentation", "scenes.augmentation:Augmentation", ("augmentation",))],
        claims=[(f"augmentation.claim.{name}", f"engine.augmentation:claim_{name}", ("augmentation",))
                for name in ("raises_validation_accuracy", "narrows_the_gap")],
    ),
    # <issue-7a topics>
    _topic(
        "xor", 4,
        experiments=["xor"],
        figures=[("xor-problem", "figures.xor:xor_problem", ("xor",))],
        scenes=[("XORProblem", "scenes.xor:XORProblem", ("xor",))],
        numbers=[("xor.num.min_mistakes", "xor", "perceptron/min_mistakes", 1),
                 ("xor.num.mlp_acc", "xor", "mlp/acc", 3)],
        claims=[(f"xor.claim.{name}", f"engine.xor:claim_{name}", ("xor",))
                for name in ("perceptron_never_converges", "mlp_all_four", "some_starts_stall")],
    ),
    _topic(
        "linear-regression", 6,
        experiments=["linreg"],
        figures=[("regression-estimates", "figures.linear_regression:regression_estimates", ("linreg",))],
        scenes=[("LinearRegression", "scenes.linear_regression:LinearRegression", ("linreg",))],
        numbers=[("linear-regression.num.w1_ls", "linreg", "w_ls", 6),
                 ("linear-regression.num.w1_ml", "linreg", "w_ml", 6),
                 ("linear-regression.num.sigma_ml", "linreg", "sigma_ml", 4)],
        claims=[("linear-regression.claim.estimates_agree", "engine.linear_regression:claim_three_estimates_agree", ("linreg",))]
    ),
    _topic(
        "logistic-softmax", 8,
        experiments=["logistic", "softmax", "loss-table"],
        figures=[("logistic-regression", "figures.logistic_softmax:logistic_regression", ("logistic",)),
                 ("softmax-regression", "figures.logistic_softmax:softmax_regression", ("softmax",)),
                 ("loss-table", "figures.logistic_softmax:loss_table", ("logistic", "softmax", "loss-table"))],
        scenes=[("LogisticRegression", "scenes.logistic_softmax:LogisticRegression", ("logistic",)),
                ("SoftmaxRegression", "scenes.logistic_softmax:SoftmaxRegression", ("softmax", "logistic", "loss-table"))],
        numbers=[("logistic-softmax.num.logistic_acc", "logistic", "acc", 3),
                 ("logistic-softmax.num.softmax_acc", "softmax", "acc", 3)],
        claims=[("logistic-softmax.claim.loss_falls", "engine.logistic_softmax:claim_loss_falls", ("logistic", "softmax")),
                ("logistic-softmax.claim.mse_is_normal_nll", "engine.logistic_softmax:claim_mse_is_normal_nll",
                 ("loss-table",))]
    ),
    _topic(
        "neural-network", 9,
        experiments=["nn-3222"],
        figures=[("network-3222", "figures.neural_network:network_3222", ("nn-3222",))],
        scenes=[("NeuralNetwork3222", "scenes.neural_network:NeuralNetwork3222", ("nn-3222",))],
        numbers=[("neural-network.num.o1", "nn-3222", "out/identity", 4),
                 ("neural-network.num.softmax1", "nn-3222", "out/softmax", 4)],
    ),
    # </issue-7a topics>
    # <issue-7b topics>
    _topic(
        "universal-approximation", 9,
        experiments=["universal-approximation"],
        figures=[("universal-approximation", "figures.universal_approximation:universal_approximation",
                  ("universal-approximation",))],
        scenes=[("UniversalApproximation", "scenes.universal_approximation:UniversalApproximation",
                 ("universal-approximation",))],
        numbers=[("universal-approximation.num.rms_2", "universal-approximation", "rms_error/2", 3),
                 ("universal-approximation.num.rms_128", "universal-approximation", "rms_error/128", 3),
                 ("universal-approximation.num.max_128", "universal-approximation", "max_error/128", 3)],
        claims=[("universal-approximation.claim.error_falls_with_width",
                 "engine.universal_approximation:claim_error_falls_with_width", ("universal-approximation",))],
    ),
    _topic(
        "forward-backward", 10,
        experiments=["forward-backward"],
        figures=[("forward-backward", "figures.forward_backward:forward_backward", ("forward-backward",))],
        scenes=[("ForwardBackward", "scenes.forward_backward:ForwardBackward", ("forward-backward",))],
        numbers=[("forward-backward.num.loss_before", "forward-backward", "loss/before", 4),
                 ("forward-backward.num.loss_after", "forward-backward", "loss/after", 4),
                 ("forward-backward.num.hand_autograd", "forward-backward", "max_hand_autograd", 2)],
        claims=[(f"forward-backward.claim.{name}", f"engine.forward_backward:claim_{name}", ("forward-backward",))
                for name in ("hand_equals_autograd", "update_lowers_batch_loss", "loss_falls_over_epochs",
                             "iterations_counted", "batch_loss_jumps")],
    ),
    _topic(
        "backprop", 10,
        experiments=["backprop"],
        figures=[("computation-graph", "figures.backprop:computation_graph", ("backprop",))],
        scenes=[("BackpropGraph", "scenes.backprop:BackpropGraph", ("backprop",))],
        numbers=[("backprop.num.loss", "backprop", "loss", 4),
                 ("backprop.num.grad_w", "backprop", "grad/w", 4),
                 ("backprop.num.fd_error", "backprop", "max_fd_error", 2)],
        claims=[("backprop.claim.autograd_fd", "engine.backprop:claim_autograd_matches_fd", ("backprop",))]
    ),
    _topic(
        "data-splits", 10,
        experiments=["data-splits"],
        figures=[("data-splits", "figures.data_splits:data_splits", ("data-splits",))],
        scenes=[("DataSplits", "scenes.data_splits:DataSplits", ("data-splits",))],
        numbers=[("data-splits.num.best_epoch", "data-splits", "best_epoch", 3),
                 ("data-splits.num.test_acc", "data-splits", "best/acc/test", 4)],
        claims=[("data-splits.claim.train_loss_falls", "engine.data_splits:claim_train_loss_falls", ("data-splits",))],
    ),
    _topic(
        "losses", 10,
        experiments=["losses"],
        figures=[("losses", "figures.losses:losses", ("losses",))],
        scenes=[("MSEvsCrossEntropy", "scenes.losses:MSEvsCrossEntropy", ("losses",))],
        numbers=[("losses.num.start_count", "losses", "start_count", 4),
                 ("losses.num.half_ce", "losses", "half_epoch/ce", 3),
                 ("losses.num.half_mse", "losses", "half_epoch/mse", 3)],
        claims=[(f"losses.claim.{name}", f"engine.losses:claim_{name}", ("losses",))
                for name in ("ce_unbounded_mse_bounded", "mse_gradient_vanishes", "ce_corrects_faster")],
    ),
    _topic(
        "playground", 14,
        experiments=["playground"],
        figures=[("playground-circle", "figures.playground:playground_circle", ("playground",)),
                 ("playground-xor", "figures.playground:playground_xor", ("playground",)),
                 ("playground-gauss", "figures.playground:playground_gauss", ("playground",)),
                 ("playground-spiral", "figures.playground:playground_spiral", ("playground",))],
        scenes=[("PlaygroundCircle", "scenes.playground:PlaygroundCircle", ("playground",))],
        numbers=[("playground.num.circle_test", "playground", "circle/test_loss", 3),
                 ("playground.num.xor_test", "playground", "xor/test_loss", 3),
                 ("playground.num.spiral_test", "playground", "spiral/test_loss", 3)],
        claims=[("playground.claim.circle_solved", "engine.playground:claim_circle_solved", ("playground",)),
                ("playground.claim.spiral_not_solved", "engine.playground:claim_spiral_not_solved", ("playground",))],
    ),
    # </issue-7b topics>
    # <issue-8 topics>
    _topic(
        "mnist-mlp", 15,
        experiments=["mnist-mlp"],
        figures=[("mnist-mlp", "figures.mnist_mlp:mnist_mlp", ("mnist-mlp",))],
        scenes=[("MnistMLP", "scenes.mnist_mlp:MnistMLP", ("mnist-mlp",))],
        numbers=[("mnist-mlp.num.params", "mnist-mlp", "params", 6),
                 ("mnist-mlp.num.val_acc", "mnist-mlp", "final/val_acc", 4),
                 ("mnist-mlp.num.val_loss", "mnist-mlp", "final/val_loss", 4)],
    ),
    _topic(
        "hyperparameter-search", 14,
        experiments=["hyperparameter-search"],
        figures=[("hyperparameter-best-trials", "figures.hyperparameter_search:best_grid", ("hyperparameter-search",)),
                 ("hyperparameter-plane", "figures.hyperparameter_search:search_plane", ("hyperparameter-search",))],
        scenes=[("HyperparameterSearch", "scenes.hyperparameter_search:HyperparameterSearch", ("hyperparameter-search",))],
        numbers=[("hyperparameter-search.num.best_val", "hyperparameter-search", "best_val", 3),
                 ("hyperparameter-search.num.best_lr", "hyperparameter-search", "best_lr", 3)],
        claims=[("hyperparameter-search.claim.box_smaller", "engine.hyperparameter_search:claim_box_smaller",
                 ("hyperparameter-search",)),
                ("hyperparameter-search.claim.fine_median_higher",
                 "engine.hyperparameter_search:claim_fine_median_higher", ("hyperparameter-search",)),
                ("hyperparameter-search.claim.fine_best_matches", "engine.hyperparameter_search:claim_fine_best_matches",
                 ("hyperparameter-search",))],
    ),
    _topic(
        "transfer-learning", 14,
        experiments=["transfer-learning"],
        figures=[("transfer-accuracy", "figures.transfer_learning:transfer_accuracy", ("transfer-learning",)),
                 ("transfer-strategies", "figures.transfer_learning:transfer_strategies", ("transfer-learning",)),
                 ("few-shot", "figures.transfer_learning:few_shot", ("transfer-learning",))],
        numbers=[("transfer-learning.num.head_new_1", "transfer-learning", "num/head_new_1", 3),
                 ("transfer-learning.num.scratch_new_1", "transfer-learning", "num/scratch_new_1", 3),
                 ("transfer-learning.num.head_similar_1", "transfer-learning", "num/head_similar_1", 3),
                 ("transfer-learning.num.scratch_similar_1", "transfer-learning", "num/scratch_similar_1", 3),
                 ("transfer-learning.num.ncm_new_1", "transfer-learning", "num/ncm_new_1", 3),
                 ("transfer-learning.num.ncm_similar_1", "transfer-learning", "num/ncm_similar_1", 3)],
        scenes=[("TransferLearning", "scenes.transfer_learning:TransferLearning", ("transfer-learning",))],
        claims=[(f"transfer-learning.claim.{name}", f"engine.transfer_learning:claim_{name}", ("transfer-learning",))
                for name in ("similar_transfer_wins", "new_digits_hard", "new_large_needs_all_layers",
                             "ncm_features_similar", "ncm_features_new")],
    ),
    # </issue-8 topics>
)

# Within a chapter, the topics in the order its slides take them (the lecture's chapter map); a topic not listed
# comes after the listed ones of its chapter.
SLIDE_ORDER = {
    2: ("neuron", "activations"),
    10: ("forward-backward", "data-splits", "losses", "backprop"),
    11: ("vanishing-gradients", "iris-mlp", "rbm", "weight-init", "lr-decay", "optimizers"),
    12: ("bias-variance", "early-stopping", "regularization", "dropout", "augmentation"),
    14: ("hyperparameter-search", "playground", "transfer-learning"),
}


def _lecture_position(topic: Topic) -> tuple[int, int]:
    order = SLIDE_ORDER.get(topic.chapter, ())
    return topic.chapter, order.index(topic.id) if topic.id in order else len(order)


TOPICS = tuple(sorted(TOPICS, key=_lecture_position))  # lecture order

_TITLES = (
    (1, "인공지능의 시대", "The age of AI"),
    (2, "신경망", "Neural networks"),
    (3, "머신러닝", "Machine learning"),
    (4, "딥러닝의 역사", "History of deep learning"),
    (5, "통계학과 딥러닝", "Statistics and deep learning"),
    (6, "회귀모형", "Regression"),
    (7, "최적화 방법", "Optimization"),
    (8, "로지스틱 회귀모형과 소프트맥스 회귀모형", "Logistic and softmax regression"),
    (9, "다층신경망", "Multilayer networks"),
    (10, "신경망의 학습", "Training networks"),
    (11, "딥러닝 학습의 제 문제", "Problems in training"),
    (12, "편의와 분산", "Bias and variance"),
    (13, "배치 정규화", "Batch normalization"),
    (14, "하이퍼파라미터의 최적화와 전이학습", "Hyperparameters and transfer learning"),
    (15, "구글 Colaboratory", "Google Colaboratory"),
    (16, "딥러닝의 문제점", "Problems of deep learning"),
)

CHAPTERS: tuple[Chapter, ...] = tuple(
    Chapter(n, ko, en, tuple(t for t in TOPICS if t.chapter == n)) for n, ko, en in _TITLES
)

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def topic(topic_id: str) -> Topic:
    for t in TOPICS:
        if t.id == topic_id:
            return t
    raise KeyError(topic_id)


def select(only: str | None) -> list[Topic]:
    """Topics named by ``--only`` (topic ids or chapter numbers, comma-separated), in lecture order.

    Raises ``ValueError`` naming the first unknown entry.
    """
    if not only:
        return list(TOPICS)
    chosen: set[str] = set()
    for raw in only.split(","):
        item = raw.strip()
        if not item:
            continue
        if item.isdigit():
            number = int(item)
            if not 1 <= number <= len(CHAPTERS):
                raise ValueError(f"there is no chapter {number} (chapters are 1–{len(CHAPTERS)})")
            chosen.update(t.id for t in CHAPTERS[number - 1].topics)
        elif any(t.id == item for t in TOPICS):
            chosen.add(item)
        else:
            raise ValueError(f"unknown topic or chapter '{item}'")
    return [t for t in TOPICS if t.id in chosen]


def validate() -> list[str]:
    """Problems with the manifest itself (empty when it is sound)."""
    problems = []
    seen: set[str] = set()
    for t in TOPICS:
        if not _KEBAB.match(t.id):
            problems.append(f"topic id '{t.id}' is not lowercase kebab-case")
        if t.id in seen:
            problems.append(f"topic id '{t.id}' is listed twice")
        seen.add(t.id)
        if not 1 <= t.chapter <= len(_TITLES):
            problems.append(f"topic '{t.id}' names chapter {t.chapter}")
        for f in t.figures:
            if not _KEBAB.match(f.id):
                problems.append(f"figure id '{f.id}' is not kebab-case")
            for need in f.needs:
                if need not in t.experiments:
                    problems.append(f"figure '{f.id}' needs '{need}', which topic '{t.id}' does not list")
        for n in t.numbers:
            if n.experiment not in t.experiments:
                problems.append(f"number '{n.key}' reads '{n.experiment}', which topic '{t.id}' does not list")
        for c in t.claims:
            if not c.target.startswith("engine.") or ":claim_" not in c.target:
                problems.append(f"claim '{c.key}' names '{c.target}', not 'engine.<module>:claim_<name>'")
            if not c.needs:
                problems.append(f"claim '{c.key}' reads no experiment")
            for need in c.needs:
                if need not in t.experiments:
                    problems.append(f"claim '{c.key}' reads '{need}', which topic '{t.id}' does not list")
        for s in t.scenes:
            for need in s.needs:
                if need not in t.experiments:
                    problems.append(f"scene '{s.id}' needs '{need}', which topic '{t.id}' does not list")
    return problems
